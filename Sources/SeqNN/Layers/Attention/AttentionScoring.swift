import SeqTensor

// Shared steps of the recurrent-model attention layers (additive, Luong, glimpse, pointer).
// Legend: B batch, T queries per row, S keys, A attention size, Dq query size, Dv value size.

/// Queries as `[B, T, Dq]`, and whether they came as `[B, Dq]` (one query per row).
func batchedQueries(_ queries: Tensor, size: Int, op: String) -> (queries: Tensor, single: Bool) {
    precondition(
        (queries.rank == 2 || queries.rank == 3) && queries.shape.last == size,
        "\(op): queries \(queries.shape) must be [B, \(size)] or [B, T, \(size)]")
    return queries.rank == 2 ? (queries.unsqueezed(axis: 1), true) : (queries, false)
}

/// Traps unless `keys` is `[B, S, size]` for the batch size of `queries` (`[B, T, Dq]`).
func checkKeys(_ keys: Tensor, size: Int, queries: Tensor, name: String, op: String) {
    precondition(
        keys.rank == 3 && keys.shape[0] == queries.shape[0] && keys.shape[2] == size,
        "\(op): \(name) \(keys.shape) must be [\(queries.shape[0]), S, \(size)] for queries \(queries.shape)"
    )
}

/// The mask's `0` / blocked bias for `[B, T, S]` scores, shaped `[B or 1, T or 1, S]`, or
/// `nil` when nothing is blocked.
func scoreBias(_ mask: AttentionMask?, batchSize: Int, queryCount: Int, keyCount: Int) -> Tensor? {
    guard
        let bias = mask?.scoreBias(
            batchSize: batchSize, queryCount: queryCount, keyCount: keyCount)
    else { return nil }
    precondition(
        bias.rank == 4 && bias.shape[1] == 1,
        "attention: mask bias \(bias.shape) must broadcast to [\(batchSize), 1, \(queryCount), \(keyCount)]"
    )
    return bias.squeezed(axis: 1)
}

/// `vᵀ tanh(q_t + k_j)` for every query and key: `[B, T, A]` and `[B, S, A]` give `[B, T, S]`
/// (one fused op; the `[B, T, S, A]` hidden layer is never stored).
func additiveScores(_ projectedQueries: Tensor, _ projectedKeys: Tensor, vector: Tensor) -> Tensor {
    projectedQueries.additiveAttentionScores(keys: projectedKeys, vector: vector)
}

/// Softmax of `scores + bias` over the keys and the weighted sum of `values` (`[B, S, Dv]`),
/// squeezed back to one query per row when `single`.
func attentionRead(scores: Tensor, bias: Tensor?, values: Tensor, single: Bool)
    -> AttentionResult
{
    let weights = (bias.map { scores + $0 } ?? scores).softmax(axis: -1)  // [B, T, S]
    let context = weights.matmul(values)  // [B, T, Dv]
    guard single else { return AttentionResult(context: context, weights: weights) }
    return AttentionResult(
        context: context.squeezed(axis: 1), weights: weights.squeezed(axis: 1))
}

/// A vector of `size` elements drawn from `U(-1/√size, 1/√size)`.
func attentionVector(size: Int, using generator: inout SeededGenerator) -> Parameter {
    let bound = 1 / Float(size).squareRoot()
    return Parameter(.uniform([size], in: -bound...bound, using: &generator))
}
