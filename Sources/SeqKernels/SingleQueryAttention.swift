// Attention of one query per row over keys and values: the attention of a decoding step, or
// of every position of an encoder (one row per position). Keys and values are read through
// strides, one block per (cache row, key/value head): a cache with spare capacity
// (`[B, Hkv, capacity, E]`) and projected rows (`[N, S, Hkv, E]`) are both read in place, and
// rows may share blocks (all beams of a source read that source's encoder keys).

/// Where the keys and values of a `singleQueryAttention` call are and which of them each row
/// sees.
package struct SingleQueryAttentionKeys {
    /// The keys: position `j` of block `(c, g)` (cache row `c`, key/value head `g`) starts at
    /// `keys + c · rowStride + g · headStride + j · positionStride`.
    package var keys: UnsafePointer<Float>
    /// The values, laid out as `keys`.
    package var values: UnsafePointer<Float>
    /// Floats from one cache row to the next.
    package var rowStride: Int
    /// Floats from one key/value head to the next.
    package var headStride: Int
    /// Floats from one position to the next.
    package var positionStride: Int
    /// The number of key/value heads; divides the query heads.
    package var keyValueHeadCount: Int
    /// For each row, its cache row, or `nil` when row `r` reads cache row `r`.
    package var rowBlocks: UnsafePointer<Int32>?
    /// For each row, its first visible key, or `nil` for `0`.
    package var firstKeys: UnsafePointer<Int32>?
    /// For each row, one past its last visible key, or `nil` for `keyCount`.
    package var endKeys: UnsafePointer<Int32>?
    /// The number of positions in each block that a row may see at most.
    package var keyCount: Int

    /// Describes keys and values; see the properties.
    package init(
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, rowStride: Int,
        headStride: Int, positionStride: Int, keyValueHeadCount: Int, keyCount: Int,
        rowBlocks: UnsafePointer<Int32>? = nil, firstKeys: UnsafePointer<Int32>? = nil,
        endKeys: UnsafePointer<Int32>? = nil
    ) {
        self.keys = keys
        self.values = values
        self.rowStride = rowStride
        self.headStride = headStride
        self.positionStride = positionStride
        self.keyValueHeadCount = keyValueHeadCount
        self.keyCount = keyCount
        self.rowBlocks = rowBlocks
        self.firstKeys = firstKeys
        self.endKeys = endKeys
    }
}

/// Multiply–adds per worker below which a call stays on one thread.
private let attentionMinimumWork = 1 << 15

/// `out[r, h] = Σ_j softmax_j(scale · q[r, h] · k_j + bias[h, j]) · v_j` over the keys row
/// `r` sees, for `rows` rows of `headCount` heads of `headSize` floats.
///
/// Query head `h` reads key/value head `h / (headCount / keyValueHeadCount)`. Row `r` sees
/// keys `firstKeys[r] ..< endKeys[r]` of its block; the others get a weight of exactly zero,
/// as a blocked score does in a full attention. A row that sees no key averages all
/// `keyCount` values uniformly, as a fully blocked row of scores does.
///
/// Row `r`, head `h` of the queries is read at `queries + r · queryStride + h · headSize` and
/// its output written at `out + r · outputStride + h · headSize` (`out` may be `queries`, with
/// the same stride: each query is read before its output is written); `bias`, if not `nil`, adds
/// `bias[h · biasHeadStride + (r mod biasRowPeriod) · biasRowStride + j]` to the score of key
/// `j` (a bias shared by all rows, or one per query position when the rows are the positions
/// of sequences of `biasRowPeriod` positions).
///
/// `weights`, if not `nil`, receives the attention weights: row `r`, head `h`, key `j` at
/// `weights[(r · headCount + h) · keyCount + j]`, zero at the keys the row does not see (for
/// cross attention reported as an alignment); `nil` computes none and costs nothing.
package func singleQueryAttention(
    queries: UnsafePointer<Float>, queryStride: Int, keys: SingleQueryAttentionKeys,
    bias: UnsafePointer<Float>?, biasHeadStride: Int, biasRowStride: Int = 0,
    biasRowPeriod: Int = 1, scale: Float, rows: Int, headCount: Int, headSize: Int,
    _ out: UnsafeMutablePointer<Float>, outputStride: Int,
    weights: UnsafeMutablePointer<Float>? = nil
) {
    precondition(biasRowPeriod > 0, "singleQueryAttention: biasRowPeriod \(biasRowPeriod) ≤ 0")
    precondition(
        keys.keyValueHeadCount > 0 && headCount.isMultiple(of: keys.keyValueHeadCount),
        "singleQueryAttention: \(keys.keyValueHeadCount) key/value heads for \(headCount) heads")
    let groupSize = headCount / keys.keyValueHeadCount
    let workPerItem = max(1, 2 * keys.keyCount * headSize)
    // Workers write disjoint (row, head) outputs and weights.
    nonisolated(unsafe) let (queries, keys, bias, out) = (queries, keys, bias, out)
    nonisolated(unsafe) let weights = weights
    parallelFor(rows * headCount, minimumChunk: max(1, attentionMinimumWork / workPerItem)) {
        range in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, keys.keyCount)) {
            scratch in
            guard let scores = scratch.baseAddress else { return }
            for item in range {
                let (row, head) = item.quotientAndRemainder(dividingBy: headCount)
                let block = Int(keys.rowBlocks?[row] ?? Int32(row))
                let offset = block * keys.rowStride + head / groupSize * keys.headStride
                var first = Int(keys.firstKeys?[row] ?? 0)
                var end = Int(keys.endKeys?[row] ?? Int32(keys.keyCount))
                let attendsNothing = first >= end
                if attendsNothing { (first, end) = (0, keys.keyCount) }
                attendOne(
                    query: queries + row * queryStride + head * headSize,
                    keys: keys.keys + offset, values: keys.values + offset,
                    positionStride: keys.positionStride,
                    bias: attendsNothing
                        ? nil
                        : bias.map {
                            $0 + head * biasHeadStride + row % biasRowPeriod * biasRowStride
                        },
                    scale: attendsNothing ? 0 : scale, keys: first..<end, headSize: headSize,
                    scores: scores, out: out + row * outputStride + head * headSize)
                if let weights {
                    let target = weights + item * keys.keyCount
                    target.update(repeating: 0, count: keys.keyCount)
                    (target + first).update(from: scores + first, count: end - first)
                }
            }
        }
    }
}

/// One (row, head): scores over `range` into `scores[range]`, softmax there, and the weighted
/// sum of the values into `out`.
@inline(__always)
private func attendOne(
    query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
    positionStride: Int, bias: UnsafePointer<Float>?, scale: Float, keys range: Range<Int>,
    headSize: Int, scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>
) {
    var maximum = -Float.infinity
    for key in range {
        var score = dot(query, keys + key * positionStride, count: headSize) * scale
        if let bias { score += bias[key] }
        scores[key] = score
        maximum = max(maximum, score)
    }
    var key = range.lowerBound
    var lanes = SIMD16<Float>()
    while key + 16 <= range.upperBound {
        let weights = vectorExpNonPositive(FusedSIMD.load(scores, key) - maximum)
        FusedSIMD.store(weights, scores, key)
        lanes += weights
        key += 16
    }
    var total = lanes.sum()
    if key < range.upperBound {
        let count = range.upperBound - key
        let weights = vectorExpNonPositive(
            FusedSIMD.loadPartial(scores + key, count: count, padding: maximum) - maximum)
        FusedSIMD.storePartial(weights, scores + key, count: count)
        for lane in 0..<count { total += weights[lane] }
    }
    let inverse = 1 / total
    for key in range { scores[key] *= inverse }
    out.update(repeating: 0, count: headSize)
    for key in range {
        let weight = scores[key]
        let value = values + key * positionStride
        var i = 0
        while i + 16 <= headSize {
            let sum = FusedSIMD.load(out, i) + FusedSIMD.load(value, i) * weight
            FusedSIMD.store(sum, out, i)
            i += 16
        }
        while i < headSize {
            out[i] += value[i] * weight
            i += 1
        }
    }
}

/// `Σ a[i] · b[i]` over `count` floats, in SIMD16 lanes then a pairwise lane sum.
@inline(__always)
private func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var sums = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        sums += FusedSIMD.load(a, i) * FusedSIMD.load(b, i)
        i += 16
    }
    var total = sums.sum()
    while i < count {
        total += a[i] * b[i]
        i += 1
    }
    return total
}
