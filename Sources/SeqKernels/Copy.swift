/// Walks the rows (every axis but the innermost) of a row-major index space in order, keeping
/// the element offsets of the current row in two strided arrays.
///
/// Starting at an arbitrary row costs one division per axis; every later row is an increment,
/// so workers pay the divisions once per chunk, never per element.
struct RowOdometer {
    private let sizes: [Int]
    private let firstStrides: [Int]
    private let secondStrides: [Int]
    private var index: [Int]
    /// Offset of the current row in the array walked with `firstStrides`.
    private(set) var first = 0
    /// Offset of the current row in the array walked with `secondStrides`.
    private(set) var second = 0

    /// Positions the odometer at row `row` of the index space `sizes`.
    init(sizes: [Int], firstStrides: [Int], secondStrides: [Int], row: Int) {
        self.sizes = sizes
        self.firstStrides = firstStrides
        self.secondStrides = secondStrides
        index = [Int](repeating: 0, count: sizes.count)
        var remainder = row
        for axis in sizes.indices.reversed() where sizes[axis] > 0 {
            index[axis] = remainder % sizes[axis]
            remainder /= sizes[axis]
            first += index[axis] * firstStrides[axis]
            second += index[axis] * secondStrides[axis]
        }
    }

    /// The current row's coordinate along `axis`.
    func coordinate(_ axis: Int) -> Int { index[axis] }

    /// Moves to the next row.
    mutating func advance() {
        var axis = sizes.count - 1
        while axis >= 0 {
            index[axis] += 1
            first += firstStrides[axis]
            second += secondStrides[axis]
            if index[axis] < sizes[axis] { return }
            first -= firstStrides[axis] * sizes[axis]
            second -= secondStrides[axis] * sizes[axis]
            index[axis] = 0
            axis -= 1
        }
    }
}

/// Copies `count` contiguous floats; short runs skip the `memmove` call.
@inline(__always)
func copyRun(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, count: Int
) {
    if count < 8 {
        for i in 0..<count { destination[i] = source[i] }
    } else {
        destination.update(from: source, count: count)
    }
}

/// Copies a contiguous tensor of `shape` into `out` with its axes permuted: output axis `i` is
/// input axis `permutation[i]`.
///
/// Size-1 axes are dropped and axes that stay adjacent are merged first. When the innermost
/// axis does not move (`[B, T, H, D] → [B, H, T, D]`), every output row is one contiguous run
/// copied with `memmove`; otherwise the two axes that hold the input's and the output's
/// innermost elements are transposed in strips of 16 rows, 8 × 8 SIMD blocks at a time.
package func permuteCopy(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    shape: [Int], permutation: [Int]
) {
    let count = shape.reduce(1, *)
    guard count > 0 else { return }
    let (sizes, order) = simplifiedPermutation(shape: shape, permutation: permutation)
    let rank = sizes.count
    if rank <= 1 || order == Array(0..<rank) {
        return blockCopy(
            x, sourceStride: count, out, destinationStride: count, blockCount: 1,
            blockLength: count)
    }
    if order[rank - 1] == rank - 1 {
        permuteRuns(x, out, sizes: sizes, order: order)
    } else {
        permuteTransposing(x, out, sizes: sizes, order: order)
    }
}

/// `permuteCopy` when the innermost axis stays innermost: one contiguous run per output row.
private func permuteRuns(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, sizes: [Int], order: [Int]
) {
    let inputStrides = contiguousElementStrides(sizes)
    let run = sizes[sizes.count - 1]
    let rowSizes = order.dropLast().map { sizes[$0] }
    let rowStrides = order.dropLast().map { inputStrides[$0] }
    let rows = sizes.reduce(1, *) / run
    nonisolated(unsafe) let (x, out) = (x, out)  // each worker owns whole output rows
    parallelFor(rows, minimumChunk: max(1, elementwiseMinimumChunk / run)) { range in
        var walk = RowOdometer(
            sizes: rowSizes, firstStrides: rowStrides, secondStrides: rowStrides,
            row: range.lowerBound)
        for row in range {
            copyRun(x + walk.first, out + row * run, count: run)
            walk.advance()
        }
    }
}

/// `permuteCopy` when the innermost axis moves: for every coordinate of the other axes,
/// transposes the pair of axes holding the input's innermost elements (`L`, contiguous in the
/// input) and the output's (`A`, contiguous in the output).
///
/// Work items are strips of 16 values of `A`; each strip walks all of `L` in 8 × 8 blocks, so
/// reads and writes both touch whole cache lines.
private func permuteTransposing(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, sizes: [Int], order: [Int]
) {
    let rank = sizes.count
    let inputStrides = contiguousElementStrides(sizes)
    let outputSizes = order.map { sizes[$0] }
    let outputStrides = contiguousElementStrides(outputSizes)
    guard let axisL = order.firstIndex(of: rank - 1) else { return }
    let (lengthA, strideA) = (outputSizes[rank - 1], inputStrides[order[rank - 1]])
    let (lengthL, strideL) = (outputSizes[axisL], outputStrides[axisL])
    let others = (0..<(rank - 1)).filter { $0 != axisL }
    let otherSizes = others.map { outputSizes[$0] }
    let otherInput = others.map { inputStrides[order[$0]] }
    let otherOutput = others.map { outputStrides[$0] }
    let strip = 16
    let strips = (lengthA + strip - 1) / strip
    let items = otherSizes.reduce(1, *) * strips
    nonisolated(unsafe) let (x, out) = (x, out)  // each worker owns whole strips
    parallelFor(items, minimumChunk: max(1, elementwiseMinimumChunk / (strip * lengthL))) {
        range in
        var walk = RowOdometer(
            sizes: otherSizes, firstStrides: otherInput, secondStrides: otherOutput,
            row: range.lowerBound / strips)
        var stripIndex = range.lowerBound % strips
        for _ in range {
            let aStart = stripIndex * strip
            let aEnd = min(aStart + strip, lengthA)
            let source = x + walk.first
            let destination = out + walk.second
            var lStart = 0
            while lStart < lengthL {
                let lEnd = min(lStart + 8, lengthL)
                var a = aStart
                if lEnd - lStart == 8 {
                    while a + 8 <= aEnd {
                        transpose8x8(
                            source + a * strideA + lStart, sourceStride: strideA,
                            destination + lStart * strideL + a, destinationStride: strideL)
                        a += 8
                    }
                }
                if a < aEnd {
                    for l in lStart..<lEnd {
                        let row = destination + l * strideL
                        let column = source + l
                        for i in a..<aEnd { row[i] = column[i * strideA] }
                    }
                }
                lStart = lEnd
            }
            stripIndex += 1
            if stripIndex == strips {
                stripIndex = 0
                walk.advance()
            }
        }
    }
}

/// Writes the transpose of the 8 × 8 block at `source` (rows `sourceStride` apart) to
/// `destination` (rows `destinationStride` apart), eight lanes per load and store.
@inline(__always)
private func transpose8x8(
    _ source: UnsafePointer<Float>, sourceStride: Int,
    _ destination: UnsafeMutablePointer<Float>, destinationStride: Int
) {
    let input = UnsafeRawPointer(source)
    let output = UnsafeMutableRawPointer(destination)
    let step = sourceStride * 4
    let r0 = input.loadUnaligned(as: SIMD8<Float>.self)
    let r1 = input.loadUnaligned(fromByteOffset: step, as: SIMD8<Float>.self)
    let r2 = input.loadUnaligned(fromByteOffset: 2 * step, as: SIMD8<Float>.self)
    let r3 = input.loadUnaligned(fromByteOffset: 3 * step, as: SIMD8<Float>.self)
    let r4 = input.loadUnaligned(fromByteOffset: 4 * step, as: SIMD8<Float>.self)
    let r5 = input.loadUnaligned(fromByteOffset: 5 * step, as: SIMD8<Float>.self)
    let r6 = input.loadUnaligned(fromByteOffset: 6 * step, as: SIMD8<Float>.self)
    let r7 = input.loadUnaligned(fromByteOffset: 7 * step, as: SIMD8<Float>.self)
    for j in 0..<8 {
        let column = SIMD8<Float>(r0[j], r1[j], r2[j], r3[j], r4[j], r5[j], r6[j], r7[j])
        output.storeBytes(
            of: column, toByteOffset: j * destinationStride * 4, as: SIMD8<Float>.self)
    }
}

/// Drops size-1 axes and merges axes that stay adjacent and in order under `permutation`.
///
/// Returns the merged input sizes and the permutation over them.
private func simplifiedPermutation(
    shape: [Int], permutation: [Int]
) -> (sizes: [Int], order: [Int]) {
    let kept = shape.indices.filter { shape[$0] != 1 }
    let order = permutation.filter { shape[$0] != 1 }.compactMap { kept.firstIndex(of: $0) }
    let keptSizes = kept.map { shape[$0] }
    // Groups of consecutive input axes, listed in output order.
    var groups: [[Int]] = []
    for axis in order {
        if let last = groups.last?.last, last + 1 == axis {
            groups[groups.count - 1].append(axis)
        } else {
            groups.append([axis])
        }
    }
    let byInputPosition = groups.indices.sorted { groups[$0][0] < groups[$1][0] }
    let sizes = byInputPosition.map { groups[$0].reduce(1) { $0 * keptSizes[$1] } }
    var newOrder = [Int](repeating: 0, count: groups.count)
    for (newAxis, group) in byInputPosition.enumerated() {
        newOrder[group] = newAxis
    }
    return (sizes, newOrder)
}

/// Row-major strides, in elements, of a contiguous array of `sizes`.
func contiguousElementStrides(_ sizes: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: sizes.count)
    var running = 1
    for axis in sizes.indices.reversed() {
        strides[axis] = running
        running *= sizes[axis]
    }
    return strides
}

/// Copies `blockCount` runs of `blockLength` contiguous floats; run `b` starts at
/// `source + b · sourceStride` and lands at `destination + b · destinationStride`.
///
/// Slicing, concatenation and splitting along one axis are all this copy over a
/// `[outer, axis, inner]` view.
package func blockCopy(
    _ source: UnsafePointer<Float>, sourceStride: Int,
    _ destination: UnsafeMutablePointer<Float>, destinationStride: Int,
    blockCount: Int, blockLength: Int
) {
    guard blockCount > 0, blockLength > 0 else { return }
    nonisolated(unsafe) let (source, destination) = (source, destination)  // disjoint runs
    if blockCount == 1 {
        parallelFor(blockLength, minimumChunk: elementwiseMinimumChunk) { range in
            copyRun(
                source + range.lowerBound, destination + range.lowerBound, count: range.count)
        }
        return
    }
    parallelFor(blockCount, minimumChunk: max(1, elementwiseMinimumChunk / blockLength)) {
        range in
        for block in range {
            copyRun(
                source + block * sourceStride, destination + block * destinationStride,
                count: blockLength)
        }
    }
}

/// Writes a contiguous tensor of `shape` into `out`, of shape `before + shape + after` per
/// axis, filling the border with `value`.
package func padCopy(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    shape: [Int], before: [Int], after: [Int], value: Float
) {
    let rank = shape.count
    let outputShape = shape.indices.map { before[$0] + shape[$0] + after[$0] }
    let total = outputShape.reduce(1, *)
    guard total > 0 else { return }
    guard rank > 0 else { return out.update(from: x, count: 1) }
    let width = outputShape[rank - 1]
    let inputWidth = shape[rank - 1]
    let (lead, trail) = (before[rank - 1], after[rank - 1])
    let rowSizes = Array(outputShape.dropLast())
    let inputStrides = Array(contiguousElementStrides(shape).dropLast())
    let shift = zip(before, inputStrides).reduce(0) { $0 + $1.0 * $1.1 }
    nonisolated(unsafe) let (x, out) = (x, out)  // each worker owns whole output rows
    parallelFor(total / width, minimumChunk: max(1, elementwiseMinimumChunk / width)) { range in
        var walk = RowOdometer(
            sizes: rowSizes, firstStrides: inputStrides, secondStrides: inputStrides,
            row: range.lowerBound)
        for row in range {
            let destination = out + row * width
            var inside = true
            for axis in 0..<(rank - 1) where inside {
                let i = walk.coordinate(axis)
                inside = i >= before[axis] && i < before[axis] + shape[axis]
            }
            if inside {
                destination.update(repeating: value, count: lead)
                copyRun(x + (walk.first - shift), destination + lead, count: inputWidth)
                (destination + lead + inputWidth).update(repeating: value, count: trail)
            } else {
                destination.update(repeating: value, count: width)
            }
            walk.advance()
        }
    }
}

/// Copies the block of `x` (shape `shape`) that starts at `start` and has `outputShape` into
/// the contiguous `out`: the inverse of `padCopy`, and a multi-axis slice.
package func cropCopy(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    shape: [Int], start: [Int], outputShape: [Int]
) {
    let rank = shape.count
    let total = outputShape.reduce(1, *)
    guard total > 0 else { return }
    guard rank > 0 else { return out.update(from: x, count: 1) }
    let width = outputShape[rank - 1]
    let strides = contiguousElementStrides(shape)
    let origin = zip(start, strides).reduce(0) { $0 + $1.0 * $1.1 }
    let rowSizes = Array(outputShape.dropLast())
    let rowStrides = Array(strides.dropLast())
    nonisolated(unsafe) let (x, out) = (x, out)  // each worker owns whole output rows
    parallelFor(total / width, minimumChunk: max(1, elementwiseMinimumChunk / width)) { range in
        var walk = RowOdometer(
            sizes: rowSizes, firstStrides: rowStrides, secondStrides: rowStrides,
            row: range.lowerBound)
        for row in range {
            copyRun(x + origin + walk.first, out + row * width, count: width)
            walk.advance()
        }
    }
}
