/// Fused additive-attention scores (Bahdanau; the pointer and glimpse scores):
/// `scores[b, t, s] = Σ_a v[a] · tanh(q[b, t, a] + k[b, s, a])`, and its backward, without
/// materialising the `[B, T, S, A]` hidden layer (the backward recomputes it).
///
/// Layouts are row-major: queries `[B, T, A]`, keys `[B, S, A]`, vector `[A]`,
/// scores `[B, T, S]`.

/// Multiply-adds worth one worker: each `(t, s)` pair costs `A` tanh evaluations.
private let additiveMinimumWork = 1 << 14

/// `scores[b, t, s] = Σ_a vector[a] · tanh(queries[b, t, a] + keys[b, s, a])`.
package func additiveScores(
    queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, vector: UnsafePointer<Float>,
    scores: UnsafeMutablePointer<Float>, batch: Int, queryCount: Int, keyCount: Int, size: Int
) {
    // Each worker writes the score rows of its own query rows.
    nonisolated(unsafe) let (queries, keys, vector, scores) = (queries, keys, vector, scores)
    let perRow = max(1, keyCount * size)
    parallelFor(batch * queryCount, minimumChunk: max(1, additiveMinimumWork / perRow)) { rows in
        for row in rows {
            let example = row / queryCount
            let query = queries + row * size
            let output = scores + row * keyCount
            for key in 0..<keyCount {
                output[key] = additiveScore(
                    query, keys + (example * keyCount + key) * size, vector, size: size)
            }
        }
    }
}

/// The gradients of `additiveScores` for the scores' gradient `scoreGradient` `[B, T, S]`.
///
/// With `h = tanh(q_t + k_s)` and `δ = g[b, t, s] · v ⊙ (1 − h²)`: `dq[b, t] = Σ_s δ`,
/// `dk[b, s] = Σ_t δ`, `dv = Σ_{b,t,s} g[b, t, s] · h`. Every output is overwritten. Work is
/// split by example; `dv` is summed from per-example partial sums in example order, so the
/// result does not depend on the number of cores.
package func additiveScoresBackward(
    queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, vector: UnsafePointer<Float>,
    scoreGradient: UnsafePointer<Float>, queryGradient: UnsafeMutablePointer<Float>,
    keyGradient: UnsafeMutablePointer<Float>, vectorGradient: UnsafeMutablePointer<Float>,
    batch: Int, queryCount: Int, keyCount: Int, size: Int
) {
    queryGradient.update(repeating: 0, count: batch * queryCount * size)
    keyGradient.update(repeating: 0, count: batch * keyCount * size)
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: max(1, batch * size))
    defer { partials.deallocate() }
    partials.update(repeating: 0, count: batch * size)
    // Each worker owns whole examples: their query and key gradient rows and their partial.
    nonisolated(unsafe) let (queries, keys, vector, scoreGradient) =
        (queries, keys, vector, scoreGradient)
    nonisolated(unsafe) let (queryGradient, keyGradient, workerPartials) =
        (queryGradient, keyGradient, partials)
    let perExample = max(1, queryCount * keyCount * size)
    parallelFor(batch, minimumChunk: max(1, additiveMinimumWork / perExample)) { examples in
        for example in examples {
            for queryIndex in 0..<queryCount {
                let row = example * queryCount + queryIndex
                for key in 0..<keyCount {
                    let weight = scoreGradient[row * keyCount + key]
                    if weight == 0 { continue }
                    let keyRow = (example * keyCount + key) * size
                    accumulateAdditiveGradient(
                        weight: weight, query: queries + row * size, key: keys + keyRow,
                        vector: vector, queryGradient: queryGradient + row * size,
                        keyGradient: keyGradient + keyRow,
                        vectorGradient: workerPartials + example * size, size: size)
                }
            }
        }
    }
    vectorGradient.update(repeating: 0, count: size)
    for example in 0..<batch {
        addLanes(partials + example * size, into: vectorGradient, count: size)
    }
}

/// `Σ_a v[a] · tanh(q[a] + k[a])` over `size` floats; the tail is padded with zeros, whose
/// tanh is zero.
@inline(__always)
private func additiveScore(
    _ query: UnsafePointer<Float>, _ key: UnsafePointer<Float>, _ vector: UnsafePointer<Float>,
    size: Int
) -> Float {
    var total = SIMD16<Float>(repeating: 0)
    var index = 0
    while index < size {
        let width = min(16, size - index)
        let sum =
            loadLanes(query + index, count: width, padding: 0)
            + loadLanes(key + index, count: width, padding: 0)
        total += loadLanes(vector + index, count: width, padding: 0) * vectorTanh(sum)
        index += width
    }
    return total.sum()
}

/// Adds one `(t, s)` pair's contribution to `dq[t]`, `dk[s]` and the example's `dv`.
@inline(__always)
private func accumulateAdditiveGradient(
    weight: Float, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
    vector: UnsafePointer<Float>, queryGradient: UnsafeMutablePointer<Float>,
    keyGradient: UnsafeMutablePointer<Float>, vectorGradient: UnsafeMutablePointer<Float>,
    size: Int
) {
    var index = 0
    while index < size {
        let width = min(16, size - index)
        let hidden = vectorTanh(
            loadLanes(query + index, count: width, padding: 0)
                + loadLanes(key + index, count: width, padding: 0))
        let delta =
            weight * loadLanes(vector + index, count: width, padding: 0) * (1 - hidden * hidden)
        storeLanes(
            loadLanes(queryGradient + index, count: width, padding: 0) + delta,
            to: queryGradient + index, count: width)
        storeLanes(
            loadLanes(keyGradient + index, count: width, padding: 0) + delta,
            to: keyGradient + index, count: width)
        storeLanes(
            loadLanes(vectorGradient + index, count: width, padding: 0) + weight * hidden,
            to: vectorGradient + index, count: width)
        index += width
    }
}

/// `into[i] += values[i]` for `count` floats.
@inline(__always)
private func addLanes(
    _ values: UnsafePointer<Float>, into: UnsafeMutablePointer<Float>, count: Int
) {
    var index = 0
    while index < count {
        let width = min(16, count - index)
        storeLanes(
            loadLanes(into + index, count: width, padding: 0)
                + loadLanes(values + index, count: width, padding: 0),
            to: into + index, count: width)
        index += width
    }
}
