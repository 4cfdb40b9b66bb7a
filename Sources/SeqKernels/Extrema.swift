import Foundation

/// Which end of the order an extremum reduction keeps.
package enum Extremum: Sendable, CaseIterable {
    case maximum, minimum
}

/// The extremum of a `[outer, length, inner]` row-major block over its middle axis, with the
/// first index where it occurs.
///
/// `values` and `indices` are `[outer, inner]`; indices are stored as `Float`. A NaN counts as
/// the extremum (as in PyTorch), and ties keep the lowest index. Each output element belongs to
/// one worker, so the result does not depend on the core count.
package func extremumAxis(
    _ kind: Extremum, _ x: UnsafePointer<Float>, values: UnsafeMutablePointer<Float>,
    indices: UnsafeMutablePointer<Float>, outer: Int, length: Int, inner: Int
) {
    precondition(length > 0, "extremumAxis: cannot reduce an axis of length 0")
    switch kind {
    case .maximum: extremum(MaximumOrder.self, x, values, indices, outer, length, inner)
    case .minimum: extremum(MinimumOrder.self, x, values, indices, outer, length, inner)
    }
}

/// The backward of `extremumAxis`: `out[o, j, i] = gradient[o, i]` where `j == indices[o, i]`,
/// and `0` elsewhere.
package func scatterAlongAxis(
    _ gradient: UnsafePointer<Float>, indices: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>, outer: Int, length: Int, inner: Int
) {
    nonisolated(unsafe) let (gradient, indices, out) = (gradient, indices, out)  // whole blocks
    let block = length * inner
    parallelFor(outer, minimumChunk: max(1, elementwiseMinimumChunk / max(1, block))) { range in
        for o in range {
            let base = out + o * block
            base.update(repeating: 0, count: block)
            for i in 0..<inner {
                let j = Int(indices[o * inner + i])
                precondition(
                    j >= 0 && j < length, "scatterAlongAxis: index \(j) not in 0..<\(length)")
                base[j * inner + i] = gradient[o * inner + i]
            }
        }
    }
}

/// `log Σ_j exp(x[o, j, i])` of a `[outer, length, inner]` block into `[outer, inner]`.
///
/// Subtracts the maximum first, so large inputs stay finite; an all `-inf` slice gives `-inf`,
/// a `+inf` gives `+inf` and a NaN gives NaN. Each output element belongs to one worker.
package func logSumExpAxis(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int
) {
    nonisolated(unsafe) let (x, out) = (x, out)  // each worker owns whole output rows
    if inner == 1 {
        parallelFor(outer, minimumChunk: max(1, elementwiseMinimumChunk / max(1, length))) {
            range in
            for row in range { out[row] = rowLogSumExp(x + row * length, count: length) }
        }
        return
    }
    forEachColumnRange(outer: outer, length: length, inner: inner) { offset, outOffset, width in
        columnsLogSumExp(x + offset, rowStride: inner, rows: length, out + outOffset, width: width)
    }
}

/// A mask over 16 float lanes.
typealias LaneMask = SIMDMask<SIMD16<Int32>>

/// The order an extremum reduction follows.
///
/// `replaces` is true where `candidate` should replace `best`: strictly further along the
/// order, or a NaN over a number. Strictness keeps the first index on ties.
protocol ExtremumOrder: SendableMetatype {
    static func replaces(_ candidate: SIMD16<Float>, _ best: SIMD16<Float>) -> LaneMask
    static func replaces(_ candidate: Float, _ best: Float) -> Bool
}

enum MaximumOrder: ExtremumOrder {
    @inline(__always)
    static func replaces(_ candidate: SIMD16<Float>, _ best: SIMD16<Float>) -> LaneMask {
        (candidate .> best) .| ((candidate .!= candidate) .& (best .== best))
    }
    @inline(__always) static func replaces(_ candidate: Float, _ best: Float) -> Bool {
        candidate > best || (candidate.isNaN && !best.isNaN)
    }
}

enum MinimumOrder: ExtremumOrder {
    @inline(__always)
    static func replaces(_ candidate: SIMD16<Float>, _ best: SIMD16<Float>) -> LaneMask {
        (candidate .< best) .| ((candidate .!= candidate) .& (best .== best))
    }
    @inline(__always) static func replaces(_ candidate: Float, _ best: Float) -> Bool {
        candidate < best || (candidate.isNaN && !best.isNaN)
    }
}

private func extremum<Order: ExtremumOrder>(
    _: Order.Type, _ x: UnsafePointer<Float>, _ values: UnsafeMutablePointer<Float>,
    _ indices: UnsafeMutablePointer<Float>, _ outer: Int, _ length: Int, _ inner: Int
) {
    nonisolated(unsafe) let (x, values, indices) = (x, values, indices)  // disjoint outputs
    if inner == 1 {
        parallelFor(outer, minimumChunk: max(1, elementwiseMinimumChunk / length)) { range in
            for row in range {
                let (value, index) = rowExtremum(Order.self, x + row * length, count: length)
                values[row] = value
                indices[row] = Float(index)
            }
        }
        return
    }
    forEachColumnRange(outer: outer, length: length, inner: inner) { offset, outOffset, width in
        columnsExtremum(
            Order.self, x + offset, rowStride: inner, rows: length, values + outOffset,
            indices + outOffset, width: width)
    }
}

/// Splits the `[outer, inner]` outputs of a middle-axis reduction across workers.
///
/// Whole blocks go to workers when `outer > 1`, column ranges of the single block otherwise.
/// `body` gets the input offset, the output offset and the number of columns.
private func forEachColumnRange(
    outer: Int, length: Int, inner: Int, _ body: @Sendable (Int, Int, Int) -> Void
) {
    if outer == 1 {
        parallelFor(inner, minimumChunk: max(16, elementwiseMinimumChunk / max(1, length))) {
            range in body(range.lowerBound, range.lowerBound, range.count)
        }
        return
    }
    let work = max(1, length * inner)
    parallelFor(outer, minimumChunk: max(1, elementwiseMinimumChunk / work)) { range in
        for block in range { body(block * length * inner, block * inner, inner) }
    }
}

/// The extremum of one contiguous row and its first index: 16 running lanes, then the lanes
/// combined (lowest index on ties), then the scalar tail.
@inline(__always)
private func rowExtremum<Order: ExtremumOrder>(
    _: Order.Type, _ row: UnsafePointer<Float>, count: Int
) -> (Float, Int) {
    var best = row[0]
    var bestIndex = 0
    var i = 1
    if count >= 32 {
        let raw = UnsafeRawPointer(row)
        var bestLanes = raw.loadUnaligned(as: SIMD16<Float>.self)
        let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        var laneIndices = lanes
        i = 16
        while i + 16 <= count {
            let candidate = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let better = Order.replaces(candidate, bestLanes)
            bestLanes.replace(with: candidate, where: better)
            laneIndices.replace(with: lanes &+ Int32(i), where: better)
            i += 16
        }
        best = bestLanes[0]
        bestIndex = Int(laneIndices[0])
        for lane in 1..<16 {
            let (value, index) = (bestLanes[lane], Int(laneIndices[lane]))
            let tied = value == best || (value.isNaN && best.isNaN)
            if Order.replaces(value, best) || (tied && index < bestIndex) {
                (best, bestIndex) = (value, index)
            }
        }
    }
    while i < count {
        if Order.replaces(row[i], best) { (best, bestIndex) = (row[i], i) }
        i += 1
    }
    return (best, bestIndex)
}

/// Column-wise extremum of `rows` rows of `width` columns, 16 columns at a time.
@inline(__always)
private func columnsExtremum<Order: ExtremumOrder>(
    _: Order.Type, _ x: UnsafePointer<Float>, rowStride: Int, rows: Int,
    _ values: UnsafeMutablePointer<Float>, _ indices: UnsafeMutablePointer<Float>, width: Int
) {
    var column = 0
    while column < width {
        let lanes = min(16, width - column)
        var best = loadLanes(x + column, count: lanes, padding: 0)
        var bestIndex = SIMD16<Int32>(repeating: 0)
        for r in 1..<rows {
            let candidate = loadLanes(x + r * rowStride + column, count: lanes, padding: 0)
            let better = Order.replaces(candidate, best)
            best.replace(with: candidate, where: better)
            bestIndex.replace(with: Int32(r), where: better)
        }
        storeLanes(best, to: values + column, count: lanes)
        storeLanes(SIMD16<Float>(bestIndex), to: indices + column, count: lanes)
        column += lanes
    }
}

/// `log Σ exp` of one contiguous row: a max pass, then a pass of shifted exponentials.
@inline(__always)
private func rowLogSumExp(_ row: UnsafePointer<Float>, count: Int) -> Float {
    var maxima = SIMD16<Float>(repeating: -.infinity)
    var i = 0
    while i < count {
        let width = min(16, count - i)
        let lanes = loadLanes(row + i, count: width, padding: -.infinity)
        maxima.replace(with: lanes, where: lanes .> maxima)
        i += width
    }
    let maximum = maxima.max()
    let shift = maximum.isFinite ? maximum : 0
    var sums = SIMD16<Float>()
    i = 0
    while i < count {
        let width = min(16, count - i)
        sums += vectorExp(loadLanes(row + i, count: width, padding: -.infinity) - shift)
        i += width
    }
    return shift + Foundation.log(sums.sum())
}

/// Column-wise `log Σ exp` of `rows` rows of `width` columns, 16 columns at a time.
@inline(__always)
private func columnsLogSumExp(
    _ x: UnsafePointer<Float>, rowStride: Int, rows: Int,
    _ out: UnsafeMutablePointer<Float>, width: Int
) {
    var column = 0
    while column < width {
        let lanes = min(16, width - column)
        var maxima = SIMD16<Float>(repeating: -.infinity)
        for r in 0..<rows {
            let candidate = loadLanes(x + r * rowStride + column, count: lanes, padding: 0)
            maxima.replace(with: candidate, where: candidate .> maxima)
        }
        let finite = (maxima .> -.infinity) .& (maxima .< .infinity)
        let shift = SIMD16<Float>().replacing(with: maxima, where: finite)
        var sums = SIMD16<Float>()
        for r in 0..<rows {
            sums += vectorExp(
                loadLanes(x + r * rowStride + column, count: lanes, padding: 0) - shift)
        }
        storeLanes(shift + vectorLog(sums), to: out + column, count: lanes)
        column += lanes
    }
}
