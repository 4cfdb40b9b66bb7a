#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Row kernels read each row from memory once: a row (a few KB) stays in L1 between the max,
// exponential and scaling sweeps, so memory traffic is one read and one write per element.

/// Elements per worker below which the fused row kernels run on one thread.
let fusedMinimumChunk = 1 << 14

/// Rows per worker for a `width`-wide row kernel.
@inline(__always)
func fusedRowChunk(width: Int) -> Int { max(1, fusedMinimumChunk / max(1, width)) }

@inline(__always)
func load16(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD16<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// The first `count` (< 16) floats at `p`, the other lanes set to `padding`.
@inline(__always)
func loadPartial(_ p: UnsafePointer<Float>, count: Int, padding: Float) -> SIMD16<Float> {
    var v = SIMD16<Float>(repeating: padding)
    for lane in 0..<count { v[lane] = p[lane] }
    return v
}

/// Stores the first `count` lanes of `v` at `p`.
@inline(__always)
func storePartial(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, count: Int) {
    for lane in 0..<count { p[lane] = v[lane] }
}

/// The first `lanes` (≤ 16) floats at `p`, zeros in the other lanes.
@inline(__always)
func loadLanes(_ p: UnsafePointer<Float>, _ lanes: Int) -> SIMD16<Float> {
    lanes == 16 ? load16(p, 0) : loadPartial(p, count: lanes, padding: 0)
}

/// Stores the first `lanes` (≤ 16) lanes of `v` at `p`.
@inline(__always)
func storeLanes(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ lanes: Int) {
    if lanes == 16 { store16(v, p, 0) } else { storePartial(v, p, count: lanes) }
}

/// Lane-wise maximum; NaN lanes of `b` are ignored.
@inline(__always)
func lanewiseMax(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    a.replacing(with: b, where: b .> a)
}

/// The largest of `count` floats (−∞ for none).
@inline(__always)
func rowMaximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var m0 = SIMD16<Float>(repeating: -.infinity)
    var m1 = m0
    var i = 0
    while i + 32 <= count {
        m0 = lanewiseMax(m0, load16(x, i))
        m1 = lanewiseMax(m1, load16(x, i + 16))
        i += 32
    }
    while i + 16 <= count { m0 = lanewiseMax(m0, load16(x, i)); i += 16 }
    m0 = lanewiseMax(m0, m1)
    if i < count { m0 = lanewiseMax(m0, loadPartial(x + i, count: count - i, padding: -.infinity)) }
    return m0.max()
}

/// `Σ exp(x[i] − shift)`; when `out` is given, also stores each `exp(x[i] − shift)` there.
@inline(__always)
func rowExponentials(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>?, count: Int, shift: Float
) -> Float {
    var s0 = SIMD16<Float>()
    var s1 = SIMD16<Float>()
    var i = 0
    if let out {
        while i + 32 <= count {
            let e0 = vectorExpNonPositive(load16(x, i) - shift)
            let e1 = vectorExpNonPositive(load16(x, i + 16) - shift)
            store16(e0, out, i)
            store16(e1, out, i + 16)
            s0 += e0
            s1 += e1
            i += 32
        }
        while i + 16 <= count {
            let e = vectorExpNonPositive(load16(x, i) - shift)
            store16(e, out, i)
            s0 += e
            i += 16
        }
        if i < count {
            let e = vectorExpNonPositive(loadPartial(x + i, count: count - i, padding: -.infinity) - shift)
            storePartial(e, out + i, count: count - i)
            s0 += e
        }
    } else {
        while i + 32 <= count {
            s0 += vectorExpNonPositive(load16(x, i) - shift)
            s1 += vectorExpNonPositive(load16(x, i + 16) - shift)
            i += 32
        }
        while i + 16 <= count { s0 += vectorExpNonPositive(load16(x, i) - shift); i += 16 }
        if i < count {
            s0 += vectorExpNonPositive(loadPartial(x + i, count: count - i, padding: -.infinity) - shift)
        }
    }
    return (s0 + s1).sum()
}

/// `out[i] = x[i] · factor + offset` over `count` floats (`out` may be `x`).
@inline(__always)
func rowAffine(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
    factor: Float, offset: Float
) {
    var i = 0
    while i + 32 <= count {
        store16(load16(x, i) * factor + offset, out, i)
        store16(load16(x, i + 16) * factor + offset, out, i + 16)
        i += 32
    }
    while i + 16 <= count { store16(load16(x, i) * factor + offset, out, i); i += 16 }
    while i < count { out[i] = x[i] * factor + offset; i += 1 }
}

/// Softmax of each row of a row-major `rows × width` matrix: `exp(x − max) / Σ exp(x − max)`.
///
/// One read of `x` and one write of `out` per element; rows are split across cores, each row
/// belongs to one worker, so results do not depend on the core count. `out` may equal `x`.
package func softmaxRows(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, width: Int
) {
    nonisolated(unsafe) let (x, out) = (x, out)  // workers own disjoint rows
    parallelFor(rows, minimumChunk: fusedRowChunk(width: width)) { range in
        for row in range {
            let (source, target) = (x + row * width, out + row * width)
            let maximum = rowMaximum(source, count: width)
            let total = rowExponentials(source, target, count: width, shift: maximum)
            rowAffine(target, target, count: width, factor: 1 / total, offset: 0)
        }
    }
}

/// Log-softmax of each row: `x − max − log Σ exp(x − max)`. `out` may equal `x`.
package func logSoftmaxRows(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, width: Int
) {
    nonisolated(unsafe) let (x, out) = (x, out)  // workers own disjoint rows
    parallelFor(rows, minimumChunk: fusedRowChunk(width: width)) { range in
        for row in range {
            let (source, target) = (x + row * width, out + row * width)
            let maximum = rowMaximum(source, count: width)
            let total = rowExponentials(source, nil, count: width, shift: maximum)
            rowAffine(source, target, count: width, factor: 1, offset: -(maximum + log(total)))
        }
    }
}

/// Input gradient of `softmaxRows` from its saved output `y`: `dx = y · (g − Σ g · y)`.
package func softmaxRowsBackward(
    output y: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>, rows: Int, width: Int
) {
    nonisolated(unsafe) let (y, g, dx) = (y, g, dx)  // workers own disjoint rows
    parallelFor(rows, minimumChunk: fusedRowChunk(width: width)) { range in
        for row in range {
            let offset = row * width
            let (yRow, gRow, dxRow) = (y + offset, g + offset, dx + offset)
            var d0 = SIMD16<Float>()
            var d1 = SIMD16<Float>()
            var i = 0
            while i + 32 <= width {
                d0 += load16(gRow, i) * load16(yRow, i)
                d1 += load16(gRow, i + 16) * load16(yRow, i + 16)
                i += 32
            }
            while i + 16 <= width { d0 += load16(gRow, i) * load16(yRow, i); i += 16 }
            var dot = (d0 + d1).sum()
            while i < width { dot += gRow[i] * yRow[i]; i += 1 }
            i = 0
            while i + 16 <= width {
                store16(load16(yRow, i) * (load16(gRow, i) - dot), dxRow, i)
                i += 16
            }
            while i < width { dxRow[i] = yRow[i] * (gRow[i] - dot); i += 1 }
        }
    }
}

/// Input gradient of `logSoftmaxRows` from its saved output `y`: `dx = g − exp(y) · Σ g`.
package func logSoftmaxRowsBackward(
    output y: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>, rows: Int, width: Int
) {
    nonisolated(unsafe) let (y, g, dx) = (y, g, dx)  // workers own disjoint rows
    parallelFor(rows, minimumChunk: fusedRowChunk(width: width)) { range in
        for row in range {
            let offset = row * width
            let (yRow, gRow, dxRow) = (y + offset, g + offset, dx + offset)
            let total = sumContiguous(gRow, count: width)
            var i = 0
            while i + 16 <= width {
                store16(load16(gRow, i) - vectorExpNonPositive(load16(yRow, i)) * total, dxRow, i)
                i += 16
            }
            if i < width {
                let rest = width - i
                let e = vectorExpNonPositive(loadPartial(yRow + i, count: rest, padding: 0))
                let value = loadPartial(gRow + i, count: rest, padding: 0) - e * total
                storePartial(value, dxRow + i, count: rest)
            }
        }
    }
}

/// Softmax (or log-softmax) along the middle axis of a row-major `[outer, length, inner]` block.
///
/// The strided companion of `softmaxRows` for any axis but the last: 16 neighbouring columns
/// are normalised together, stepping `inner` floats between elements of a column. Each column
/// belongs to one worker. `out` may equal `x`.
package func softmaxAxis(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int, logarithmic: Bool
) {
    nonisolated(unsafe) let (x, out) = (x, out)  // workers own disjoint column blocks
    let blocks = (inner + 15) / 16
    parallelFor(outer * blocks, minimumChunk: max(1, fusedMinimumChunk / max(1, length * 16))) {
        range in
        for item in range {
            let column = (item % blocks) * 16
            let lanes = min(16, inner - column)
            let start = (item / blocks) * length * inner + column
            let (source, target) = (x + start, out + start)
            var maximum = SIMD16<Float>(repeating: -.infinity)
            for j in 0..<length {
                maximum = lanewiseMax(maximum, loadLanes(source + j * inner, lanes))
            }
            var total = SIMD16<Float>()
            for j in 0..<length {
                let e = vectorExpNonPositive(loadLanes(source + j * inner, lanes) - maximum)
                total += e
                if !logarithmic { storeLanes(e, target + j * inner, lanes) }
            }
            if logarithmic {
                var shift = SIMD16<Float>()
                for lane in 0..<16 { shift[lane] = maximum[lane] + log(total[lane]) }
                for j in 0..<length {
                    storeLanes(loadLanes(source + j * inner, lanes) - shift, target + j * inner, lanes)
                }
            } else {
                let reciprocal = 1 / total
                for j in 0..<length {
                    storeLanes(loadLanes(target + j * inner, lanes) * reciprocal, target + j * inner, lanes)
                }
            }
        }
    }
}

/// Input gradient of `softmaxAxis` from its saved output `y`, for the same block layout.
package func softmaxAxisBackward(
    output y: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int, logarithmic: Bool
) {
    nonisolated(unsafe) let (y, g, dx) = (y, g, dx)  // workers own disjoint column blocks
    let blocks = (inner + 15) / 16
    parallelFor(outer * blocks, minimumChunk: max(1, fusedMinimumChunk / max(1, length * 16))) {
        range in
        for item in range {
            let column = (item % blocks) * 16
            let lanes = min(16, inner - column)
            let start = (item / blocks) * length * inner + column
            let (yBlock, gBlock, dxBlock) = (y + start, g + start, dx + start)
            var reduced = SIMD16<Float>()
            for j in 0..<length {
                let gv = loadLanes(gBlock + j * inner, lanes)
                reduced += logarithmic ? gv : gv * loadLanes(yBlock + j * inner, lanes)
            }
            for j in 0..<length {
                let gv = loadLanes(gBlock + j * inner, lanes)
                let yv = loadLanes(yBlock + j * inner, lanes)
                let value = logarithmic ? gv - vectorExpNonPositive(yv) * reduced : yv * (gv - reduced)
                storeLanes(value, dxBlock + j * inner, lanes)
            }
        }
    }
}
