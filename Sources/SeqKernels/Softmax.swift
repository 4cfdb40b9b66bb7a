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
            let e = vectorExpNonPositive(
                loadPartial(x + i, count: count - i, padding: -.infinity) - shift)
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
            s0 += vectorExpNonPositive(
                loadPartial(x + i, count: count - i, padding: -.infinity) - shift)
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

/// Log-softmax of each row: `x − max − log Σ exp(x − max)`.
///
/// Reads each row from memory once, like `softmaxRows`. `out` may equal `x`.
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

/// Columns of an `[outer, length, inner]` block that one work item of `softmaxAxis` handles.
private let panelColumns = 256

/// Softmax (or log-softmax) along the middle axis of a row-major `[outer, length, inner]` block.
///
/// The strided companion of `softmaxRows` for any axis but the last, without a transpose: a
/// panel of up to 256 neighbouring columns is swept row by row (contiguous, SIMD across the
/// columns) while per-column maxima and sums live in a small scratch buffer. Each column
/// belongs to one worker. `out` may equal `x`.
package func softmaxAxis(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int, logarithmic: Bool
) {
    nonisolated(unsafe) let (x, out) = (x, out)  // workers own disjoint column panels
    let panels = (inner + panelColumns - 1) / panelColumns
    let itemSize = length * min(inner, panelColumns)
    parallelFor(outer * panels, minimumChunk: max(1, fusedMinimumChunk / max(1, itemSize))) {
        range in
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * panelColumns)
        defer { scratch.deallocate() }
        let (maximum, total) = (scratch, scratch + panelColumns)
        for item in range {
            let column = (item % panels) * panelColumns
            let width = min(panelColumns, inner - column)
            let start = (item / panels) * length * inner + column
            let (source, target) = (x + start, out + start)
            maximum.update(repeating: -.infinity, count: width)
            total.update(repeating: 0, count: width)
            for j in 0..<length {
                forEachLaneGroup(width) { i, lanes in
                    let v = loadLanes(source + j * inner + i, lanes)
                    storeLanes(lanewiseMax(loadLanes(maximum + i, lanes), v), maximum + i, lanes)
                }
            }
            for j in 0..<length {
                forEachLaneGroup(width) { i, lanes in
                    let v = loadLanes(source + j * inner + i, lanes)
                    let e = vectorExpNonPositive(v - loadLanes(maximum + i, lanes))
                    storeLanes(loadLanes(total + i, lanes) + e, total + i, lanes)
                    if !logarithmic { storeLanes(e, target + j * inner + i, lanes) }
                }
            }
            // Per column: the shift of log-softmax, or the reciprocal of the softmax sum.
            for c in 0..<width {
                total[c] = logarithmic ? maximum[c] + log(total[c]) : 1 / total[c]
            }
            for j in 0..<length {
                forEachLaneGroup(width) { i, lanes in
                    let row = target + j * inner + i
                    let value =
                        logarithmic
                        ? loadLanes(source + j * inner + i, lanes) - loadLanes(total + i, lanes)
                        : loadLanes(row, lanes) * loadLanes(total + i, lanes)
                    storeLanes(value, row, lanes)
                }
            }
        }
    }
}

/// Input gradient of `softmaxAxis` from its saved output `y`, for the same panel layout.
package func softmaxAxisBackward(
    output y: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int, logarithmic: Bool
) {
    nonisolated(unsafe) let (y, g, dx) = (y, g, dx)  // workers own disjoint column panels
    let panels = (inner + panelColumns - 1) / panelColumns
    let itemSize = length * min(inner, panelColumns)
    parallelFor(outer * panels, minimumChunk: max(1, fusedMinimumChunk / max(1, itemSize))) {
        range in
        let reduced = UnsafeMutablePointer<Float>.allocate(capacity: panelColumns)
        defer { reduced.deallocate() }
        for item in range {
            let column = (item % panels) * panelColumns
            let width = min(panelColumns, inner - column)
            let start = (item / panels) * length * inner + column
            reduced.update(repeating: 0, count: width)
            for j in 0..<length {
                forEachLaneGroup(width) { i, lanes in
                    let offset = start + j * inner + i
                    let gv = loadLanes(g + offset, lanes)
                    let term = logarithmic ? gv : gv * loadLanes(y + offset, lanes)
                    storeLanes(loadLanes(reduced + i, lanes) + term, reduced + i, lanes)
                }
            }
            for j in 0..<length {
                forEachLaneGroup(width) { i, lanes in
                    let offset = start + j * inner + i
                    let (gv, yv) = (loadLanes(g + offset, lanes), loadLanes(y + offset, lanes))
                    let r = loadLanes(reduced + i, lanes)
                    let value = logarithmic ? gv - vectorExpNonPositive(yv) * r : yv * (gv - r)
                    storeLanes(value, dx + offset, lanes)
                }
            }
        }
    }
}

/// Calls `body(i, lanes)` for `i = 0, 16, 32, …` below `count`, with `lanes = min(16, count − i)`.
@inline(__always)
private func forEachLaneGroup(_ count: Int, _ body: (Int, Int) -> Void) {
    var i = 0
    while i < count {
        body(i, min(16, count - i))
        i += 16
    }
}
