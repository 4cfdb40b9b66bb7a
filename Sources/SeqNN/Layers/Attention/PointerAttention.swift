import SeqTensor

// Legend: B batch, T queries per row, S input positions, A attention size, Dq query size,
// Dk key size.

/// Attention whose scores are the output: a distribution over input positions (Vinyals,
/// Fortunato and Jaitly, 2015).
///
/// `u_j = vᵀ tanh(W_1 e_j + W_2 d)`, optionally clipped to `C · tanh(u_j)` (Bello and others,
/// 2016); then blocked positions (padding, and positions already chosen) get the score
/// `AttentionMask.blockedScore`, and `p(j) = softmax_j(u)`. There is no blended context:
/// the weights are the prediction. An end-of-output slot is just one more key (a learned
/// vector the model appends to its memory). `W_1 e_j` does not depend on the query, so it is
/// computed once per sequence by `projectedKeys(_:)`.
///
/// Shapes: queries `[B, Dq]` or `[B, T, Dq]`; keys `[B, S, Dk]`; logits and log-probabilities
/// `[B, S]` or `[B, T, S]`; `chosen` broadcasts to them.
/// Initialisation: `W_2` (`query`) and `W_1` (`key`) as bias-free `Linear`s, `v` from
/// `U(-1/√A, 1/√A)`, drawn in that order.
public final class PointerAttention: Module {
    /// `W_2`, `[A, Dq]`: projects the decoder state.
    public let query: Linear
    /// `W_1`, `[A, Dk]`: projects the encoder outputs.
    public let key: Linear
    /// `v`, `[A]`.
    public let vector: Parameter
    /// `C` in `C · tanh(u)`, or `nil` for unclipped scores.
    public let logitClip: Float?

    /// The size `Dq` of each query.
    public var querySize: Int { query.inputSize }
    /// The size `Dk` of each key.
    public var keySize: Int { key.inputSize }
    /// The size `A` of the score's hidden layer.
    public var attentionSize: Int { vector.shape[0] }

    /// Creates the layer with weights drawn from `generator`.
    ///
    /// - Parameters:
    ///   - querySize: Size `Dq` of each query (decoder state or glimpse).
    ///   - keySize: Size `Dk` of each key (encoder output).
    ///   - attentionSize: Size `A` of the score's hidden layer.
    ///   - logitClip: `C` in `C · tanh(u)` (Bello and others use 10), or `nil`.
    ///   - generator: The source of the initial weights.
    public init(
        querySize: Int, keySize: Int, attentionSize: Int, logitClip: Float? = nil,
        using generator: inout SeededGenerator
    ) {
        precondition(
            querySize > 0 && keySize > 0 && attentionSize > 0,
            "PointerAttention: sizes must be positive, got query \(querySize), key \(keySize), attention \(attentionSize)"
        )
        if let logitClip {
            precondition(
                logitClip > 0 && logitClip.isFinite,
                "PointerAttention: logitClip must be positive, got \(logitClip)")
        }
        query = Linear(
            inputSize: querySize, outputSize: attentionSize, bias: false, using: &generator)
        key = Linear(inputSize: keySize, outputSize: attentionSize, bias: false, using: &generator)
        vector = attentionVector(size: attentionSize, using: &generator)
        self.logitClip = logitClip
    }

    /// `W_1 e_j` for every key: `[B, S, Dk]` → `[B, S, A]`.
    public func projectedKeys(_ keys: Tensor) -> Tensor {
        precondition(
            keys.rank == 3 && keys.shape[2] == keySize,
            "PointerAttention: keys \(keys.shape) must be [B, S, \(keySize)]")
        return key(keys)
    }

    /// The scores `u` over the positions, with blocked positions at
    /// `AttentionMask.blockedScore`.
    ///
    /// - Parameters:
    ///   - queries: `[B, Dq]` or `[B, T, Dq]`.
    ///   - projectedKeys: `[B, S, A]`, from `projectedKeys(_:)`.
    ///   - mask: Blocked positions shared by every query (usually `.keyLengths(lengths)`), or
    ///     `nil`.
    ///   - chosen: Nonzero at positions that may not be chosen (already chosen ones), shaped
    ///     `[B, S]`, or `[B, T, S]` for one mask per query; or `nil`.
    /// - Returns: `[B, S]` or `[B, T, S]`.
    public func logits(
        _ queries: Tensor, projectedKeys: Tensor, mask: AttentionMask? = nil,
        chosen: Tensor? = nil
    ) -> Tensor {
        let (batched, single) = batchedQueries(queries, size: querySize, op: "PointerAttention")
        checkKeys(
            projectedKeys, size: attentionSize, queries: batched, name: "projected keys",
            op: "PointerAttention")
        let (batch, queryCount, keyCount) =
            (batched.shape[0], batched.shape[1], projectedKeys.shape[1])
        var scores = additiveScores(query(batched), projectedKeys, vector: vector.value)
        if let logitClip { scores = scores.tanh() * logitClip }
        if let bias = scoreBias(
            mask, batchSize: batch, queryCount: queryCount, keyCount: keyCount)
        {
            scores = scores + bias
        }
        if let chosen {
            let perQuery = chosen.rank == 2 ? chosen.unsqueezed(axis: 1) : chosen
            scores = scores.maskedFill(where: perQuery, with: AttentionMask.blockedScore)
        }
        return single ? scores.squeezed(axis: 1) : scores
    }

    /// The log-probabilities `log p(j)`: the log-softmax of `logits(...)` over the positions.
    ///
    /// Parameters and shapes as `logits(_:projectedKeys:mask:chosen:)`. A blocked position's
    /// log-probability is about `AttentionMask.blockedScore`: finite, so a row whose
    /// positions are all blocked gives finite values rather than NaN.
    public func logProbabilities(
        _ queries: Tensor, projectedKeys: Tensor, mask: AttentionMask? = nil,
        chosen: Tensor? = nil
    ) -> Tensor {
        logits(queries, projectedKeys: projectedKeys, mask: mask, chosen: chosen)
            .logSoftmax(axis: -1)
    }
}
