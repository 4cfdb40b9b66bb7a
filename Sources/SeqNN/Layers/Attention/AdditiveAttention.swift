import SeqTensor

// Legend: B batch, T queries per row, S keys, A attention size, Dq query size, Dk key size,
// Dv value size.

/// Additive attention (Bahdanau, Cho and Bengio, 2015).
///
/// `e_j = vᵀ tanh(W_q q + W_k k_j + b)`, `a = softmax_j(e_j + mask_j)`, `c = Σ_j a_j v_j`.
/// `W_k k_j + b` does not depend on the query, so a decoder projects its keys once per
/// sequence with `projectedKeys(_:)` and passes them to every step.
///
/// Shapes: queries `[B, Dq]` (one per row, e.g. the decoder state `s_{i−1}`) or `[B, T, Dq]`;
/// keys `[B, S, Dk]`; values `[B, S, Dv]`; the result's context is `[B, Dv]` or `[B, T, Dv]`
/// and its weights `[B, S]` or `[B, T, S]`. Blocked keys (padding) get weight zero.
/// Initialisation: `W_q` and `W_k` (and `b`) as `Linear`, `v` from `U(-1/√A, 1/√A)`, drawn in
/// the order `query`, `key`, `vector`.
///
/// ```swift
/// let attention = AdditiveAttention(querySize: 256, keySize: 512, attentionSize: 256,
///                                   using: &rng)
/// let keys = attention.projectedKeys(encoderOutputs)          // once per batch
/// let read = attention(state, projectedKeys: keys, values: encoderOutputs,
///                      mask: .keyLengths(lengths))             // every step
/// ```
public final class AdditiveAttention: Module {
    /// `W_q`, `[A, Dq]`, without bias.
    public let query: Linear
    /// `W_k` and `b`, `[A, Dk]` and `[A]` (no `b` when built with `bias: false`).
    public let key: Linear
    /// `v`, `[A]`.
    public let vector: Parameter

    /// The size `Dq` of each query.
    public var querySize: Int { query.inputSize }
    /// The size `Dk` of each key.
    public var keySize: Int { key.inputSize }
    /// The size `A` of the hidden layer of the score.
    public var attentionSize: Int { vector.shape[0] }

    /// Creates the layer with weights drawn from `generator`.
    ///
    /// - Parameters:
    ///   - querySize: Size `Dq` of each query.
    ///   - keySize: Size `Dk` of each key.
    ///   - attentionSize: Size `A` of the score's hidden layer.
    ///   - bias: Whether the key projection has a bias `b` (a bias on the query projection
    ///     would be the same parameter).
    ///   - generator: The source of the initial weights.
    public init(
        querySize: Int, keySize: Int, attentionSize: Int, bias: Bool = true,
        using generator: inout SeededGenerator
    ) {
        precondition(
            querySize > 0 && keySize > 0 && attentionSize > 0,
            "AdditiveAttention: sizes must be positive, got query \(querySize), key \(keySize), attention \(attentionSize)"
        )
        query = Linear(
            inputSize: querySize, outputSize: attentionSize, bias: false, using: &generator)
        key = Linear(inputSize: keySize, outputSize: attentionSize, bias: bias, using: &generator)
        vector = attentionVector(size: attentionSize, using: &generator)
    }

    /// `W_k k_j + b` for every key: `[B, S, Dk]` → `[B, S, A]`.
    public func projectedKeys(_ keys: Tensor) -> Tensor {
        precondition(
            keys.rank == 3 && keys.shape[2] == keySize,
            "AdditiveAttention: keys \(keys.shape) must be [B, S, \(keySize)]")
        return key(keys)
    }

    /// Attends from `queries` over `keys`, blending `values`.
    ///
    /// - Parameters:
    ///   - queries: `[B, Dq]` or `[B, T, Dq]`.
    ///   - keys: `[B, S, Dk]`.
    ///   - values: `[B, S, Dv]`, often the keys themselves.
    ///   - mask: Blocked keys (usually `.keyLengths(lengths)`), or `nil`.
    /// - Returns: The context `[B, Dv]` or `[B, T, Dv]` and the weights `[B, S]` or `[B, T, S]`.
    public func callAsFunction(
        _ queries: Tensor, keys: Tensor, values: Tensor, mask: AttentionMask? = nil
    ) -> AttentionResult {
        self(queries, projectedKeys: projectedKeys(keys), values: values, mask: mask)
    }

    /// Attends over keys already projected by `projectedKeys(_:)`, `[B, S, A]`.
    ///
    /// - Parameters:
    ///   - queries: `[B, Dq]` or `[B, T, Dq]`.
    ///   - projectedKeys: `[B, S, A]`.
    ///   - values: `[B, S, Dv]`.
    ///   - mask: Blocked keys, or `nil`.
    /// - Returns: The context and the weights, as `callAsFunction(_:keys:values:mask:)`.
    public func callAsFunction(
        _ queries: Tensor, projectedKeys: Tensor, values: Tensor, mask: AttentionMask? = nil
    ) -> AttentionResult {
        let op = "AdditiveAttention"
        let (batched, single) = batchedQueries(queries, size: querySize, op: op)
        checkKeys(
            projectedKeys, size: attentionSize, queries: batched, name: "projected keys", op: op)
        precondition(
            values.rank == 3 && values.shape.dropLast() == projectedKeys.shape.dropLast(),
            "\(op): values \(values.shape) must be [B, S, Dv] for keys \(projectedKeys.shape)")
        let scores = additiveScores(query(batched), projectedKeys, vector: vector.value)
        let bias = scoreBias(
            mask, batchSize: batched.shape[0], queryCount: batched.shape[1],
            keyCount: projectedKeys.shape[1])
        return attentionRead(scores: scores, bias: bias, values: values, single: single)
    }
}
