import SeqTensor

// Legend: B batch, T queries per row, S memory positions, A attention size, Dq query size,
// Dm memory size.

/// One glimpse: an attention read of a memory that refines a pointer's query.
///
/// "Order Matters" (Vinyals, Bengio and Kudlur, 2016) reads the memory once more before each
/// pointing step but never published the equations; this is the concrete form of Bello and
/// others (2016):
/// `g = Σ_j softmax_j(v_gᵀ tanh(W_ref m_j + W_q q) + mask_j) · W_ref m_j`.
/// The glimpse `g` lives in the projected space (size `A`) and replaces the decoder state as
/// the pointer's query. `W_ref m_j` does not depend on the query, so it is computed once per
/// sequence by `projectedKeys(_:)`.
///
/// Shapes: queries `[B, Dq]` or `[B, T, Dq]`; memory `[B, S, Dm]`; the glimpse (the result's
/// context) is `[B, A]` or `[B, T, A]`, its weights `[B, S]` or `[B, T, S]`.
/// Initialisation: `W_q`, `W_ref` as bias-free `Linear`s, `v_g` from `U(-1/√A, 1/√A)`, drawn
/// in the order `query`, `key`, `vector`.
public final class Glimpse: Module {
    /// `W_q`, `[A, Dq]`.
    public let query: Linear
    /// `W_ref`, `[A, Dm]`.
    public let key: Linear
    /// `v_g`, `[A]`.
    public let vector: Parameter

    /// The size `Dq` of each query.
    public var querySize: Int { query.inputSize }
    /// The size `Dm` of each memory vector.
    public var memorySize: Int { key.inputSize }
    /// The size `A` of the glimpse.
    public var attentionSize: Int { vector.shape[0] }

    /// Creates the layer with weights drawn from `generator`.
    ///
    /// - Parameters:
    ///   - querySize: Size `Dq` of each query (the decoder state).
    ///   - memorySize: Size `Dm` of each memory vector.
    ///   - attentionSize: Size `A` of the projections and of the glimpse.
    ///   - generator: The source of the initial weights.
    public init(
        querySize: Int, memorySize: Int, attentionSize: Int,
        using generator: inout SeededGenerator
    ) {
        precondition(
            querySize > 0 && memorySize > 0 && attentionSize > 0,
            "Glimpse: sizes must be positive, got query \(querySize), memory \(memorySize), attention \(attentionSize)"
        )
        query = Linear(
            inputSize: querySize, outputSize: attentionSize, bias: false, using: &generator)
        key = Linear(
            inputSize: memorySize, outputSize: attentionSize, bias: false, using: &generator)
        vector = attentionVector(size: attentionSize, using: &generator)
    }

    /// `W_ref m_j` for every memory position: `[B, S, Dm]` → `[B, S, A]`.
    public func projectedKeys(_ memory: Tensor) -> Tensor {
        precondition(
            memory.rank == 3 && memory.shape[2] == memorySize,
            "Glimpse: memory \(memory.shape) must be [B, S, \(memorySize)]")
        return key(memory)
    }

    /// The glimpse of `memory` from `queries`.
    ///
    /// - Parameters:
    ///   - queries: `[B, Dq]` or `[B, T, Dq]`.
    ///   - memory: `[B, S, Dm]`.
    ///   - mask: Blocked positions (padding, positions already chosen), or `nil`.
    /// - Returns: The glimpse `[B, A]` or `[B, T, A]` as the context, and the weights.
    public func callAsFunction(_ queries: Tensor, memory: Tensor, mask: AttentionMask? = nil)
        -> AttentionResult
    {
        self(queries, projectedKeys: projectedKeys(memory), mask: mask)
    }

    /// The glimpse over a memory already projected by `projectedKeys(_:)`, `[B, S, A]`.
    ///
    /// - Parameters:
    ///   - queries: `[B, Dq]` or `[B, T, Dq]`.
    ///   - projectedKeys: `[B, S, A]`; also the values that are blended.
    ///   - mask: Blocked positions, or `nil`.
    /// - Returns: The glimpse and the weights, as `callAsFunction(_:memory:mask:)`.
    public func callAsFunction(
        _ queries: Tensor, projectedKeys: Tensor, mask: AttentionMask? = nil
    ) -> AttentionResult {
        let (batched, single) = batchedQueries(queries, size: querySize, op: "Glimpse")
        checkKeys(
            projectedKeys, size: attentionSize, queries: batched, name: "projected keys",
            op: "Glimpse")
        let scores = additiveScores(query(batched), projectedKeys, vector: vector.value)
        let bias = scoreBias(
            mask, batchSize: batched.shape[0], queryCount: batched.shape[1],
            keyCount: projectedKeys.shape[1])
        return attentionRead(scores: scores, bias: bias, values: projectedKeys, single: single)
    }
}
