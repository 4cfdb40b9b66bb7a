import SeqKernels
import SeqTensor

// Legend: B batch, T queries, S keys (cached ones included), D modelSize, H heads,
// Hkv key/value heads, G = H / Hkv query heads per key/value head, E = D / H head size.

/// Scaled dot-product attention with several heads, grouped key/value heads and rotary positions.
///
/// From "Attention Is All You Need" (Vaswani and others, 2017); grouped-query attention (GQA)
/// from Ainslie and others (2023).
///
/// `output = out(concat_h softmax(scale · q_h k_hᵀ + mask) v_h)`, with `scale = 1/√E` unless
/// given (T5 uses 1), where `q = query(queries)`,
/// `k = key(keys)`, `v = value(values)` are split into heads. With `keyValueHeadCount < headCount`
/// the key and value projections produce `Hkv` heads and query head `h` uses key/value head
/// `h / G` (Hugging Face's `repeat_kv` order); the product is computed per group without
/// copying keys or values. Dropout acts on the attention weights while training.
///
/// Self attention passes the same tensor as queries, keys and values; cross attention passes
/// the encoder output as keys and values. For incremental decoding, self attention keeps a
/// `KeyValueCache` that each call extends, and cross attention projects the encoder output
/// once with `projectedKeyValues(keys:values:)`. The `decoding…` methods run one decoding
/// step over raw rows without building tensors, for models' `IncrementalDecoder` steps.
///
/// Shapes: queries `[B, T, D]`, keys and values `[B, S, D]`, output `[B, T, D]`.
/// Initialisation: each projection is a `Linear` (`U(-k, k)`, `k = 1/√D`), drawn in the order
/// `query`, `key`, `value`, `output`. (PyTorch's `nn.MultiheadAttention` uses Xavier-uniform
/// and zero biases instead; load its weights to match it.)
public final class MultiHeadAttention: Module {
    /// Projects queries, `[D → D]`.
    public let query: Linear
    /// Projects keys, `[D → Hkv·E]`.
    public let key: Linear
    /// Projects values, `[D → Hkv·E]`.
    public let value: Linear
    /// Projects the concatenated heads back, `[D → D]`.
    public let output: Linear
    /// Dropout on the attention weights.
    public let attentionDropout: Dropout
    /// Rotary positions applied to queries and keys, or `nil`.
    public let rotary: RotaryPositionalEncoding?
    /// The size `D` of input and output vectors.
    public let modelSize: Int
    /// The number `H` of query heads.
    public let headCount: Int
    /// The number `Hkv` of key/value heads; divides `headCount`.
    public let keyValueHeadCount: Int
    /// The factor on the query–key dot products, `1/√E` by default.
    public let scale: Float

    /// The size `E = D / H` of each head.
    public var headSize: Int { modelSize / headCount }

    /// Creates the layer with projections drawn from `generator`.
    ///
    /// - Parameters:
    ///   - modelSize: Size `D` of input and output vectors; a multiple of `headCount`.
    ///   - headCount: Number `H` of query heads.
    ///   - keyValueHeadCount: Number `Hkv` of key/value heads, dividing `headCount`; `nil`
    ///     means `headCount` (plain multi-head attention), `1` is multi-query attention.
    ///   - bias: Whether the four projections have biases.
    ///   - dropout: Dropout probability on the attention weights.
    ///   - rotary: Whether to rotate queries and keys by their positions (RoPE).
    ///   - rotaryBase: The base of the rotary frequencies.
    ///   - scale: The factor on the query–key dot products; `nil` means `1/√E`.
    ///   - generator: The source of the initial weights and of the dropout stream.
    public init(
        modelSize: Int, headCount: Int, keyValueHeadCount: Int? = nil, bias: Bool = true,
        dropout: Float = 0, rotary: Bool = false, rotaryBase: Float = 10_000,
        scale: Float? = nil, using generator: inout SeededGenerator
    ) {
        let keyValueHeads = keyValueHeadCount ?? headCount
        precondition(
            modelSize > 0 && headCount > 0 && modelSize.isMultiple(of: headCount),
            "MultiHeadAttention: modelSize \(modelSize) must be a positive multiple of headCount \(headCount)"
        )
        precondition(
            keyValueHeads > 0 && headCount.isMultiple(of: keyValueHeads),
            "MultiHeadAttention: keyValueHeadCount \(keyValueHeads) must divide headCount \(headCount)"
        )
        let headSize = modelSize / headCount
        self.modelSize = modelSize
        self.headCount = headCount
        self.keyValueHeadCount = keyValueHeads
        self.scale = scale ?? 1 / Float(headSize).squareRoot()
        query = Linear(inputSize: modelSize, outputSize: modelSize, bias: bias, using: &generator)
        key = Linear(
            inputSize: modelSize, outputSize: keyValueHeads * headSize, bias: bias,
            using: &generator)
        value = Linear(
            inputSize: modelSize, outputSize: keyValueHeads * headSize, bias: bias,
            using: &generator)
        output = Linear(inputSize: modelSize, outputSize: modelSize, bias: bias, using: &generator)
        attentionDropout = Dropout(probability: dropout, using: &generator)
        self.rotary = rotary ? RotaryPositionalEncoding(headSize: headSize, base: rotaryBase) : nil
    }

    /// Attends from `queries` to `keys` and `values` without a cache.
    ///
    /// - Parameters:
    ///   - queries: `[B, T, D]`.
    ///   - keys: `[B, S, D]`; the same tensor as `queries` for self attention.
    ///   - values: `[B, S, D]`.
    ///   - mask: Blocked query–key pairs, or `nil` to let every query see every key.
    /// - Returns: `[B, T, D]`.
    public func callAsFunction(
        _ queries: Tensor, keys: Tensor, values: Tensor, mask: AttentionMask? = nil
    ) -> Tensor {
        attend(
            projectedQueries(queries, offset: 0),
            keyValues: projectedKeyValues(keys: keys, values: values), mask: mask)
    }

    /// Self attention for incremental decoding: appends the projected `keys` and `values` of
    /// the new positions to `cache`, then attends over everything cached.
    ///
    /// The new positions start at `cache.length` (`0` for a `nil` cache, which is then
    /// created), which is where rotary positions and the causal mask place them. Decoding a
    /// sequence one step (or a few) at a time gives the same outputs as one causal call on the
    /// whole sequence.
    ///
    /// - Parameters:
    ///   - queries: The new positions, `[B, T, D]`.
    ///   - keys: `[B, T, D]`, usually `queries`.
    ///   - values: `[B, T, D]`, usually `queries`.
    ///   - mask: Applies to all `S = cache.length + T` keys; key padding must cover all of them.
    ///   - cache: The keys and values so far, extended in place.
    /// - Returns: `[B, T, D]`.
    public func callAsFunction(
        _ queries: Tensor, keys: Tensor, values: Tensor, mask: AttentionMask? = nil,
        cache: inout KeyValueCache?
    ) -> Tensor {
        let offset = cache?.length ?? 0
        let new = projectedKeyValues(keys: keys, values: values, offset: offset)
        // Appended in place: the cache's storage grows with spare room instead of being copied.
        if cache == nil { cache = new } else { cache?.append(keys: new.keys, values: new.values) }
        return attend(
            projectedQueries(queries, offset: offset), keyValues: cache ?? new, mask: mask)
    }

    /// Cross attention against keys and values projected once by
    /// `projectedKeyValues(keys:values:)`.
    ///
    /// - Parameters:
    ///   - queries: `[B, T, D]`.
    ///   - keyValues: The projected encoder output, `[B, Hkv, S, E]` each.
    ///   - mask: Blocked query–key pairs over the `S` keys.
    ///   - queryOffset: The position of the first query, for rotary positions.
    /// - Returns: `[B, T, D]`.
    public func callAsFunction(
        _ queries: Tensor, keyValues: KeyValueCache, mask: AttentionMask? = nil,
        queryOffset: Int = 0
    ) -> Tensor {
        attend(projectedQueries(queries, offset: queryOffset), keyValues: keyValues, mask: mask)
    }

    /// Projects `keys` and `values`, `[B, S, D]`, into heads, `[B, Hkv, S, E]` each, rotating
    /// keys for positions from `offset`.
    ///
    /// For cross attention, call it once per source and pass the result to every decoding
    /// step.
    public func projectedKeyValues(keys: Tensor, values: Tensor, offset: Int = 0) -> KeyValueCache {
        precondition(
            keys.rank == 3 && values.rank == 3 && keys.shape.last == modelSize
                && values.shape.last == modelSize
                && keys.shape.dropLast() == values.shape.dropLast(),
            "MultiHeadAttention: keys \(keys.shape) and values \(values.shape) must be [B, S, \(modelSize)]"
        )
        var projectedKeys = splitHeads(key(keys), count: keyValueHeadCount)
        if let rotary { projectedKeys = rotary(projectedKeys, offset: offset) }
        return KeyValueCache(
            keys: projectedKeys, values: splitHeads(value(values), count: keyValueHeadCount))
    }

    /// `[B, T, D]` queries projected into `[B, H, T, E]` heads, rotated from `offset`.
    private func projectedQueries(_ queries: Tensor, offset: Int) -> Tensor {
        precondition(
            queries.rank == 3 && queries.shape.last == modelSize,
            "MultiHeadAttention: queries \(queries.shape) must be [B, T, \(modelSize)]")
        let heads = splitHeads(query(queries), count: headCount)
        guard let rotary else { return heads }
        return rotary(heads, offset: offset)
    }

    /// The attention of projected queries `[B, H, T, E]` over cached heads `[B, Hkv, S, E]`.
    private func attend(_ queries: Tensor, keyValues: KeyValueCache, mask: AttentionMask?) -> Tensor
    {
        let (batch, queryCount) = (queries.shape[0], queries.shape[2])
        let keyCount = keyValues.length
        precondition(
            keyValues.batchSize == batch,
            "MultiHeadAttention: \(batch) query rows but keys for \(keyValues.batchSize)")
        let groupSize = headCount / keyValueHeadCount
        // Query heads that share a key/value head sit next to each other, so one GEMM per
        // key/value head covers its whole group: [B, Hkv, G·T, E] · [B, Hkv, S, E]ᵀ.
        // The scale goes on the queries, which are smaller than the scores when S > E.
        var grouped = queries.reshaped([
            batch, keyValueHeadCount, groupSize * queryCount, headSize,
        ])
        if scale != 1 { grouped = grouped * scale }
        var scores = grouped.matmul(keyValues.keys, transposingOther: true)
            .reshaped([batch, headCount, queryCount, keyCount])  // [B, H, T, S]
        if let bias = mask?.scoreBias(batchSize: batch, queryCount: queryCount, keyCount: keyCount)
        {
            scores = scores + bias
        }
        let weights = attentionDropout(scores.softmax(axis: -1))
        let context = weights.reshaped([batch, keyValueHeadCount, groupSize * queryCount, keyCount])
            .matmul(keyValues.values)  // [B, Hkv, G·T, E]
            .reshaped([batch, headCount, queryCount, headSize])
        return output(mergeHeads(context))
    }

    /// `[B, T, count·E]` → `[B, count, T, E]`.
    private func splitHeads(_ x: Tensor, count: Int) -> Tensor {
        x.reshaped([x.shape[0], x.shape[1], count, headSize]).transposed(1, 2)
    }

    /// `[B, H, T, E]` → `[B, T, D]`.
    private func mergeHeads(_ x: Tensor) -> Tensor {
        x.transposed(1, 2).reshaped([x.shape[0], x.shape[2], modelSize])
    }
}
