/// `torch.gather` along `axis`: `out[i] = x[i with its axis coordinate replaced by indices[i]]`.
///
/// `out` and `indices` are contiguous with `indexShape`, which has the rank of `shape` and is
/// no larger on the other axes. Indices must lie in `0..<shape[axis]`; the caller checks them.
package func gatherAlongAxis(
    _ x: UnsafePointer<Float>, shape: [Int], axis: Int,
    indices: UnsafePointer<Int32>, indexShape: [Int], _ out: UnsafeMutablePointer<Float>
) {
    let rank = shape.count
    let total = indexShape.reduce(1, *)
    guard total > 0 else { return }
    let width = indexShape[rank - 1]
    let (rowStrides, axisStride) = rowStridesSkipping(axis, of: shape)
    let rowSizes = Array(indexShape.dropLast())
    let alongRows = axis == rank - 1
    nonisolated(unsafe) let (x, indices, out) = (x, indices, out)  // disjoint output rows
    parallelFor(total / width, minimumChunk: max(1, elementwiseMinimumChunk / width)) { range in
        var walk = RowOdometer(
            sizes: rowSizes, firstStrides: rowStrides, secondStrides: rowStrides,
            row: range.lowerBound)
        for row in range {
            let base = x + walk.first
            let index = indices + row * width
            let destination = out + row * width
            if alongRows {
                for j in 0..<width { destination[j] = base[Int(index[j])] }
            } else {
                for j in 0..<width { destination[j] = base[Int(index[j]) * axisStride + j] }
            }
            walk.advance()
        }
    }
}

/// `torch.Tensor.scatter_add_` along `axis`, in place on `out` (shape `shape`):
/// `out[i with its axis coordinate replaced by indices[i]] += source[i]` for every `i` of
/// `indexShape`.
///
/// `source` is contiguous with `sourceShape`, no smaller than `indexShape` on any axis.
/// Each output element is accumulated by one worker in index order, so repeated indices give
/// the same sum on any core count.
package func scatterAddAlongAxis(
    _ source: UnsafePointer<Float>, sourceShape: [Int], axis: Int,
    indices: UnsafePointer<Int32>, indexShape: [Int],
    into out: UnsafeMutablePointer<Float>, shape: [Int]
) {
    let rank = shape.count
    let total = indexShape.reduce(1, *)
    guard total > 0 else { return }
    let width = indexShape[rank - 1]
    let (rowStrides, axisStride) = rowStridesSkipping(axis, of: shape)
    let sourceRowStrides = Array(contiguousElementStrides(sourceShape).dropLast())
    let rowSizes = Array(indexShape.dropLast())
    let alongRows = axis == rank - 1
    // Rows that differ only below `axis` never collide; rows under one outer coordinate may.
    let outer = indexShape[..<axis].reduce(1, *)
    let rowsPerOuter = total / width / outer
    nonisolated(unsafe) let (source, indices, out) = (source, indices, out)

    /// Accumulates rows `rows` restricted to columns `columns` of the innermost axis.
    @Sendable func scatter(rows: Range<Int>, columns: Range<Int>) {
        var walk = RowOdometer(
            sizes: rowSizes, firstStrides: rowStrides, secondStrides: sourceRowStrides,
            row: rows.lowerBound)
        for row in rows {
            let base = out + walk.first
            let values = source + walk.second
            let index = indices + row * width
            if alongRows {
                for j in columns { base[Int(index[j])] += values[j] }
            } else {
                for j in columns { base[Int(index[j]) * axisStride + j] += values[j] }
            }
            walk.advance()
        }
    }

    if outer == 1 && !alongRows {
        // One outer block: columns of the innermost axis are the disjoint unit of work.
        parallelFor(width, minimumChunk: max(16, elementwiseMinimumChunk / rowsPerOuter)) {
            columns in scatter(rows: 0..<rowsPerOuter, columns: columns)
        }
        return
    }
    parallelFor(outer, minimumChunk: max(1, elementwiseMinimumChunk / (rowsPerOuter * width))) {
        range in
        scatter(
            rows: (range.lowerBound * rowsPerOuter)..<(range.upperBound * rowsPerOuter),
            columns: 0..<width)
    }
}

/// `torch.index_select` on a `[outer, axisLength, inner]` view: `out[o, k, :] =
/// x[o, indices[k], :]`, with `out` shaped `[outer, indexCount, inner]`.
///
/// Every `inner` run is one contiguous copy; an embedding lookup is `outer == 1`.
package func indexSelectCopy(
    _ x: UnsafePointer<Float>, outer: Int, axisLength: Int, inner: Int,
    indices: UnsafePointer<Int32>, indexCount: Int, _ out: UnsafeMutablePointer<Float>
) {
    let rows = outer * indexCount
    guard rows > 0, inner > 0 else { return }
    nonisolated(unsafe) let (x, indices, out) = (x, indices, out)  // disjoint output rows
    parallelFor(rows, minimumChunk: max(1, elementwiseMinimumChunk / inner)) { range in
        var block = range.lowerBound / indexCount
        var k = range.lowerBound % indexCount
        for row in range {
            let source = x + (block * axisLength + Int(indices[k])) * inner
            copyRun(source, out + row * inner, count: inner)
            k += 1
            if k == indexCount {
                k = 0
                block += 1
            }
        }
    }
}

/// The backward of `indexSelectCopy`: `out[o, indices[k], :] += source[o, k, :]`, in place on
/// `out` shaped `[outer, axisLength, inner]`; repeated indices accumulate.
///
/// Workers own whole outer blocks, or column ranges when `outer == 1` (an embedding's
/// gradient), and add in index order, so the result does not depend on the core count.
package func indexAddAccumulate(
    _ source: UnsafePointer<Float>, outer: Int, indexCount: Int, inner: Int,
    indices: UnsafePointer<Int32>, into out: UnsafeMutablePointer<Float>, axisLength: Int
) {
    guard outer > 0, indexCount > 0, inner > 0 else { return }
    nonisolated(unsafe) let (source, indices, out) = (source, indices, out)
    if outer == 1 {
        parallelFor(inner, minimumChunk: max(16, elementwiseMinimumChunk / indexCount)) {
            columns in
            for k in 0..<indexCount {
                addRun(
                    source + k * inner + columns.lowerBound,
                    into: out + Int(indices[k]) * inner + columns.lowerBound,
                    count: columns.count)
            }
        }
        return
    }
    parallelFor(outer, minimumChunk: max(1, elementwiseMinimumChunk / (indexCount * inner))) {
        range in
        for block in range {
            let values = source + block * indexCount * inner
            let target = out + block * axisLength * inner
            for k in 0..<indexCount {
                addRun(values + k * inner, into: target + Int(indices[k]) * inner, count: inner)
            }
        }
    }
}

/// Strides of the rows of `shape` (every axis but the last) with `axis` contributing nothing,
/// and the stride of `axis` itself.
private func rowStridesSkipping(_ axis: Int, of shape: [Int]) -> (rows: [Int], axis: Int) {
    var strides = contiguousElementStrides(shape)
    let axisStride = strides[axis]
    strides[axis] = 0
    strides.removeLast()
    return (strides, axisStride)
}

/// `out[i] += x[i]` over `count` contiguous floats, 16 lanes at a time, then a scalar tail.
@inline(__always)
private func addRun(
    _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int
) {
    let rawX = UnsafeRawPointer(x)
    let rawOut = UnsafeMutableRawPointer(out)
    var i = 0
    while i + 16 <= count {
        let sum =
            rawOut.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            + rawX.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
        rawOut.storeBytes(of: sum, toByteOffset: i * 4, as: SIMD16<Float>.self)
        i += 16
    }
    while i < count {
        out[i] += x[i]
        i += 1
    }
}
