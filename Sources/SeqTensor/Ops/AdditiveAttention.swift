import SeqKernels

// Legend: B batch, T queries per row, S keys, A size of each projected vector.

extension Tensor {
    /// Additive attention scores, fused and differentiable:
    /// `scores[b, t, s] = Σ_a v[a] · tanh(q[b, t, a] + k[b, s, a])` for these queries `q`.
    ///
    /// The score of Bahdanau attention, of pointer networks and of glimpses, once the
    /// queries and keys are projected. One kernel computes it without materialising the
    /// `[B, T, S, A]` hidden layer that `(q.unsqueezed(axis: 2) + k.unsqueezed(axis: 1))
    /// .tanh().matmul(v)` would build; the backward recomputes the hidden layer:
    /// `δ = g · v ⊙ (1 − h²)`, `dq = Σ_s δ`, `dk = Σ_t δ`, `dv = Σ g · h`.
    ///
    /// Shapes: self (queries) `[B, T, A]`, keys `[B, S, A]`, vector `[A]`; result `[B, T, S]`.
    ///
    /// - Parameters:
    ///   - keys: The projected keys, `[B, S, A]`.
    ///   - vector: The score vector `v`, `[A]`.
    /// - Returns: The scores, `[B, T, S]`.
    /// - Complexity: O(B · T · S · A) time for the forward and for the backward, O(B · T · S)
    ///   memory.
    public func additiveAttentionScores(keys: Tensor, vector: Tensor) -> Tensor {
        precondition(
            rank == 3 && keys.rank == 3 && vector.rank == 1 && keys.shape[0] == shape[0]
                && keys.shape[2] == shape[2] && vector.shape[0] == shape[2],
            "additiveAttentionScores: queries \(shape), keys \(keys.shape) and vector \(vector.shape) must be [B, T, A], [B, S, A] and [A]"
        )
        let (batch, queryCount, keyCount, size) = (shape[0], shape[1], keys.shape[1], shape[2])
        let (q, k, v) = (detached(), keys.detached(), vector.detached())
        let scores = Tensor(uninitializedShape: [batch, queryCount, keyCount])
        if scores.count > 0 {
            additiveScores(
                queries: q.storage.pointer, keys: k.storage.pointer, vector: v.storage.pointer,
                scores: scores.storage.pointer, batch: batch, queryCount: queryCount,
                keyCount: keyCount, size: size)
        }
        return scores.recorded(from: [self, keys, vector]) { g in
            let dq = Tensor(uninitializedShape: q.shape)
            let dk = Tensor(uninitializedShape: k.shape)
            let dv = Tensor(uninitializedShape: v.shape)
            additiveScoresBackward(
                queries: q.storage.pointer, keys: k.storage.pointer, vector: v.storage.pointer,
                scoreGradient: g.storage.pointer, queryGradient: dq.storage.pointer,
                keyGradient: dk.storage.pointer, vectorGradient: dv.storage.pointer,
                batch: batch, queryCount: queryCount, keyCount: keyCount, size: size)
            return [dq, dk, dv]
        }
    }
}
