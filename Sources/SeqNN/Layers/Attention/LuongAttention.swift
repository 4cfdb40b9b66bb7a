import SeqTensor

// Legend: B batch, T queries per row, S keys, A attention size, Dq query size, Dk key size,
// Dv value size.

/// Multiplicative and concat attention (Luong, Pham and Manning, 2015).
///
/// The query is the decoder's *current* top state `h_t`; the keys are the encoder states
/// `h̄_s`. Scores:
/// - `dot`: `h_tᵀ h̄_s` (needs `Dq = Dk`);
/// - `general`: `h_tᵀ W_a h̄_s`, with `W_a` `[Dq, Dk]`;
/// - `concat`: `v_aᵀ tanh(W_a [h_t ; h̄_s])`, with `W_a` `[A, Dq + Dk]`.
///
/// Then `a = softmax_s(score + mask)` and `c_t = Σ_s a_s v_s`. The attentional state
/// `h̃_t = tanh(W_c [c_t ; h_t])` belongs to the model, not to this layer. The key side of each
/// score (`W_a h̄_s`, or the key half of the concat product) is computed once per sequence by
/// `projectedKeys(_:)`.
///
/// Shapes: queries `[B, Dq]` or `[B, T, Dq]`; keys `[B, S, Dk]`; values `[B, S, Dv]`; the
/// context is `[B, Dv]` or `[B, T, Dv]` and the weights `[B, S]` or `[B, T, S]`.
/// Initialisation: `W_a` as a bias-free `Linear` (`U(-k, k)`, `k = 1/√inputSize`), then, for
/// `concat`, `v_a` from `U(-1/√A, 1/√A)`.
public final class LuongAttention: Module {
    /// How a query and a key are scored.
    public enum Score: String, Codable, Sendable, CaseIterable {
        /// `h_tᵀ h̄_s`.
        case dot
        /// `h_tᵀ W_a h̄_s`.
        case general
        /// `v_aᵀ tanh(W_a [h_t ; h̄_s])`.
        case concat
    }

    /// The score function.
    public let score: Score
    /// `W_a`: `[Dq, Dk]` for `general`, `[A, Dq + Dk]` for `concat`, `nil` for `dot`.
    public let weight: Linear?
    /// `v_a`, `[A]`, for `concat` only.
    public let vector: Parameter?
    /// The size `Dq` of each query.
    public let querySize: Int
    /// The size `Dk` of each key.
    public let keySize: Int

    /// Creates the layer with weights drawn from `generator`.
    ///
    /// - Parameters:
    ///   - querySize: Size `Dq` of each query.
    ///   - keySize: Size `Dk` of each key; must equal `querySize` for `dot`.
    ///   - score: The score function.
    ///   - attentionSize: Size `A` of the hidden layer of `concat`; `nil` means `querySize`.
    ///     Ignored by the other scores.
    ///   - generator: The source of the initial weights.
    public init(
        querySize: Int, keySize: Int, score: Score, attentionSize: Int? = nil,
        using generator: inout SeededGenerator
    ) {
        precondition(
            querySize > 0 && keySize > 0,
            "LuongAttention: sizes must be positive, got query \(querySize), key \(keySize)")
        precondition(
            score != .dot || querySize == keySize,
            "LuongAttention: dot scores need querySize \(querySize) = keySize \(keySize)")
        self.score = score
        self.querySize = querySize
        self.keySize = keySize
        switch score {
        case .dot:
            weight = nil
            vector = nil
        case .general:
            weight = Linear(
                inputSize: keySize, outputSize: querySize, bias: false, using: &generator)
            vector = nil
        case .concat:
            let size = attentionSize ?? querySize
            precondition(size > 0, "LuongAttention: attentionSize must be positive, got \(size)")
            weight = Linear(
                inputSize: querySize + keySize, outputSize: size, bias: false, using: &generator)
            vector = attentionVector(size: size, using: &generator)
        }
    }

    /// The key side of the score for every key, `[B, S, Dk]` →
    /// `h̄_s` (`dot`), `W_a h̄_s` `[B, S, Dq]` (`general`), or `W_a[:, Dq...] h̄_s` `[B, S, A]`
    /// (`concat`).
    public func projectedKeys(_ keys: Tensor) -> Tensor {
        precondition(
            keys.rank == 3 && keys.shape[2] == keySize,
            "LuongAttention: keys \(keys.shape) must be [B, S, \(keySize)]")
        switch (score, weight) {
        case (.general, let weight?): return weight(keys)
        case (.concat, let weight?):
            let keyWeight = weight.weight.value.sliced(axis: 1, querySize..<(querySize + keySize))
            return keys.matmul(keyWeight, transposingOther: true)
        default: return keys
        }
    }

    /// Attends from `queries` over `keys`, blending `values`.
    ///
    /// - Parameters:
    ///   - queries: `[B, Dq]` or `[B, T, Dq]`.
    ///   - keys: `[B, S, Dk]`.
    ///   - values: `[B, S, Dv]`, usually the keys themselves.
    ///   - mask: Blocked keys (usually `.keyLengths(lengths)`), or `nil`.
    /// - Returns: The context `[B, Dv]` or `[B, T, Dv]` and the weights `[B, S]` or `[B, T, S]`.
    public func callAsFunction(
        _ queries: Tensor, keys: Tensor, values: Tensor, mask: AttentionMask? = nil
    ) -> AttentionResult {
        self(queries, projectedKeys: projectedKeys(keys), values: values, mask: mask)
    }

    /// Attends over keys already projected by `projectedKeys(_:)`.
    ///
    /// - Parameters:
    ///   - queries: `[B, Dq]` or `[B, T, Dq]`.
    ///   - projectedKeys: The result of `projectedKeys(_:)` for this batch.
    ///   - values: `[B, S, Dv]`.
    ///   - mask: Blocked keys, or `nil`.
    /// - Returns: The context and the weights, as `callAsFunction(_:keys:values:mask:)`.
    public func callAsFunction(
        _ queries: Tensor, projectedKeys: Tensor, values: Tensor, mask: AttentionMask? = nil
    ) -> AttentionResult {
        let op = "LuongAttention"
        let (batched, single) = batchedQueries(queries, size: querySize, op: op)
        let projectedSize = vector?.shape[0] ?? querySize
        checkKeys(
            projectedKeys, size: projectedSize, queries: batched, name: "projected keys", op: op)
        precondition(
            values.rank == 3 && values.shape.dropLast() == projectedKeys.shape.dropLast(),
            "\(op): values \(values.shape) must be [B, S, Dv] for keys \(projectedKeys.shape)")
        let scores: Tensor
        if let weight, let vector {
            let queryWeight = weight.weight.value.sliced(axis: 1, 0..<querySize)
            scores = additiveScores(
                batched.matmul(queryWeight, transposingOther: true), projectedKeys,
                vector: vector.value)
        } else {
            scores = batched.matmul(projectedKeys, transposingOther: true)  // [B, T, S]
        }
        let bias = scoreBias(
            mask, batchSize: batched.shape[0], queryCount: batched.shape[1],
            keyCount: projectedKeys.shape[1])
        return attentionRead(scores: scores, bias: bias, values: values, single: single)
    }
}
