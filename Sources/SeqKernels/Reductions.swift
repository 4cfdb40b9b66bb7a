/// Sums a `[outer, length, inner]` row-major block over its middle axis into `[outer, inner]`.
///
/// Each output element is summed by one worker in a fixed order, so the result does not
/// depend on the core count.
package func sumAxis(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int
) {
    nonisolated(unsafe) let (x, out) = (x, out)  // each worker owns whole output rows
    if inner == 1 {
        parallelFor(outer, minimumChunk: max(1, elementwiseMinimumChunk / max(1, length))) {
            range in
            for row in range { out[row] = sumContiguous(x + row * length, count: length) }
        }
        return
    }
    if outer == 1 {
        parallelFor(inner, minimumChunk: max(16, elementwiseMinimumChunk / max(1, length))) {
            range in
            sumRows(
                x + range.lowerBound, rowStride: inner, rows: length,
                out + range.lowerBound, width: range.count)
        }
        return
    }
    parallelFor(outer, minimumChunk: max(1, elementwiseMinimumChunk / max(1, length * inner))) {
        range in
        for block in range {
            sumRows(
                x + block * length * inner, rowStride: inner, rows: length,
                out + block * inner, width: inner)
        }
    }
}

/// The sum of `count` contiguous floats, 16 lanes at a time, then a scalar tail.
@inline(__always)
package func sumContiguous(_ x: UnsafePointer<Float>, count: Int) -> Float {
    let raw = UnsafeRawPointer(x)
    var lanes = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        lanes += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
        i += 16
    }
    var total = lanes.sum()
    while i < count { total += x[i]; i += 1 }
    return total
}

/// `out[0..<width] = Σ_r x[r · rowStride + 0..<width]`.
@inline(__always)
private func sumRows(
    _ x: UnsafePointer<Float>, rowStride: Int, rows: Int,
    _ out: UnsafeMutablePointer<Float>, width: Int
) {
    out.update(repeating: 0, count: width)
    let rawOut = UnsafeMutableRawPointer(out)
    for r in 0..<rows {
        let row = x + r * rowStride
        let rawRow = UnsafeRawPointer(row)
        var i = 0
        while i + 16 <= width {
            let sum =
                rawOut.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                + rawRow.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            rawOut.storeBytes(of: sum, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < width { out[i] += row[i]; i += 1 }
    }
}
