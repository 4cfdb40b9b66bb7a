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

/// SIMD16 loads, stores and lane-wise helpers shared by the fused row kernels.
enum FusedSIMD {
    /// 16 floats at `p + i`, unaligned.
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD16<Float> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
    }

    /// Stores 16 floats at `p + i`, unaligned.
    @inline(__always)
    static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    /// The first `count` (< 16) floats at `p`, the other lanes set to `padding`.
    @inline(__always)
    static func loadPartial(_ p: UnsafePointer<Float>, count: Int, padding: Float) -> SIMD16<Float>
    {
        var v = SIMD16<Float>(repeating: padding)
        for lane in 0..<count { v[lane] = p[lane] }
        return v
    }

    /// Stores the first `count` lanes of `v` at `p`.
    @inline(__always)
    static func storePartial(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, count: Int) {
        for lane in 0..<count { p[lane] = v[lane] }
    }

    /// The first `lanes` (≤ 16) floats at `p`, zeros in the other lanes.
    @inline(__always)
    static func loadLanes(_ p: UnsafePointer<Float>, _ lanes: Int) -> SIMD16<Float> {
        lanes == 16 ? load(p, 0) : loadPartial(p, count: lanes, padding: 0)
    }

    /// Stores the first `lanes` (≤ 16) lanes of `v` at `p`.
    @inline(__always)
    static func storeLanes(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ lanes: Int) {
        if lanes == 16 { store(v, p, 0) } else { storePartial(v, p, count: lanes) }
    }

    /// Lane-wise maximum (one `maxps` per 4 lanes on x86); NaN lanes of `b` are ignored.
    @inline(__always)
    static func maximum(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a.replacing(with: b, where: b .> a)
    }
}

/// The largest of `count` floats (−∞ for none).
@inline(__always)
func fusedRowMaximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var m0 = SIMD16<Float>(repeating: -.infinity)
    var m1 = m0
    var i = 0
    while i + 32 <= count {
        m0 = FusedSIMD.maximum(m0, FusedSIMD.load(x, i))
        m1 = FusedSIMD.maximum(m1, FusedSIMD.load(x, i + 16))
        i += 32
    }
    while i + 16 <= count { m0 = FusedSIMD.maximum(m0, FusedSIMD.load(x, i)); i += 16 }
    m0 = FusedSIMD.maximum(m0, m1)
    if i < count {
        m0 = FusedSIMD.maximum(
            m0, FusedSIMD.loadPartial(x + i, count: count - i, padding: -.infinity))
    }
    return m0.max()
}

/// `Σ exp(x[i] − shift)`; when `out` is given, also stores each `exp(x[i] − shift)` there.
@inline(__always)
func fusedRowExponentials(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>?, count: Int, shift: Float
) -> Float {
    var s0 = SIMD16<Float>()
    var s1 = SIMD16<Float>()
    var i = 0
    if let out {
        while i + 32 <= count {
            let e0 = vectorExpNonPositive(FusedSIMD.load(x, i) - shift)
            let e1 = vectorExpNonPositive(FusedSIMD.load(x, i + 16) - shift)
            FusedSIMD.store(e0, out, i)
            FusedSIMD.store(e1, out, i + 16)
            s0 += e0
            s1 += e1
            i += 32
        }
        while i + 16 <= count {
            let e = vectorExpNonPositive(FusedSIMD.load(x, i) - shift)
            FusedSIMD.store(e, out, i)
            s0 += e
            i += 16
        }
        if i < count {
            let e = vectorExpNonPositive(
                FusedSIMD.loadPartial(x + i, count: count - i, padding: -.infinity) - shift)
            FusedSIMD.storePartial(e, out + i, count: count - i)
            s0 += e
        }
    } else {
        while i + 32 <= count {
            s0 += vectorExpNonPositive(FusedSIMD.load(x, i) - shift)
            s1 += vectorExpNonPositive(FusedSIMD.load(x, i + 16) - shift)
            i += 32
        }
        while i + 16 <= count { s0 += vectorExpNonPositive(FusedSIMD.load(x, i) - shift); i += 16 }
        if i < count {
            s0 += vectorExpNonPositive(
                FusedSIMD.loadPartial(x + i, count: count - i, padding: -.infinity) - shift)
        }
    }
    return (s0 + s1).sum()
}

/// `out[i] = x[i] · factor + offset` over `count` floats (`out` may be `x`).
@inline(__always)
func fusedRowAffine(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
    factor: Float, offset: Float
) {
    var i = 0
    while i + 32 <= count {
        FusedSIMD.store(FusedSIMD.load(x, i) * factor + offset, out, i)
        FusedSIMD.store(FusedSIMD.load(x, i + 16) * factor + offset, out, i + 16)
        i += 32
    }
    while i + 16 <= count {
        FusedSIMD.store(FusedSIMD.load(x, i) * factor + offset, out, i); i += 16
    }
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
        for row in range { softmaxRow(x + row * width, out + row * width, width: width) }
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
        for row in range { logSoftmaxRow(x + row * width, out + row * width, width: width) }
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
            softmaxRowBackward(y + offset, g + offset, dx + offset, width: width)
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
            logSoftmaxRowBackward(y + offset, g + offset, dx + offset, width: width)
        }
    }
}

/// Softmax (or log-softmax) along the middle axis of a row-major `[outer, length, inner]` block.
///
/// The strided companion of `softmaxRows` for any axis but the last, without a transpose of
/// the tensor: 16 neighbouring columns are normalised together with SIMD across the columns,
/// stepping `inner` floats along the axis. The last `inner % 16` columns of each block are
/// gathered into contiguous rows, normalised by the row kernel and scattered back. Each column
/// belongs to one worker. `out` may equal `x`.
package func softmaxAxis(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int, logarithmic: Bool
) {
    nonisolated(unsafe) let (x, out) = (x, out)  // workers own disjoint column groups
    forEachColumnGroup(outer: outer, length: length, inner: inner, scratchRows: 1) {
        start, lanes, scratch in
        let (source, target) = (x + start, out + start)
        guard let scratch else {
            return softmaxColumns16(source, target, length: length, stride: inner, logarithmic)
        }
        gatherColumns(source, stride: inner, lanes: lanes, length: length, into: scratch)
        for lane in 0..<lanes {
            let row = scratch + lane * length
            if logarithmic {
                logSoftmaxRow(row, row, width: length)
            } else {
                softmaxRow(row, row, width: length)
            }
        }
        scatterColumns(scratch, lanes: lanes, length: length, into: target, stride: inner)
    }
}

/// Input gradient of `softmaxAxis` from its saved output `y`, for the same block layout.
package func softmaxAxisBackward(
    output y: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int, logarithmic: Bool
) {
    nonisolated(unsafe) let (y, g, dx) = (y, g, dx)  // workers own disjoint column groups
    forEachColumnGroup(outer: outer, length: length, inner: inner, scratchRows: 2) {
        start, lanes, scratch in
        guard let scratch else {
            return softmaxColumns16Backward(
                y + start, g + start, dx + start, length: length, stride: inner, logarithmic)
        }
        let (yRows, gRows) = (scratch, scratch + lanes * length)
        gatherColumns(y + start, stride: inner, lanes: lanes, length: length, into: yRows)
        gatherColumns(g + start, stride: inner, lanes: lanes, length: length, into: gRows)
        for lane in 0..<lanes {
            let (yRow, gRow) = (yRows + lane * length, gRows + lane * length)
            if logarithmic {
                logSoftmaxRowBackward(yRow, gRow, gRow, width: length)
            } else {
                softmaxRowBackward(yRow, gRow, gRow, width: length)
            }
        }
        scatterColumns(gRows, lanes: lanes, length: length, into: dx + start, stride: inner)
    }
}

/// Runs `body(start, lanes, scratch)` in parallel over the column groups of a block.
///
/// An `[outer, length, inner]` block splits into groups of 16 adjacent columns, plus one
/// narrower group per outer index when `inner % 16 != 0`. Narrow groups get a scratch buffer
/// of `scratchRows · lanes · length` floats; full groups get `nil`.
private func forEachColumnGroup(
    outer: Int, length: Int, inner: Int, scratchRows: Int,
    _ body: @Sendable (Int, Int, UnsafeMutablePointer<Float>?) -> Void
) {
    let (fullGroups, tail) = (inner / 16, inner % 16)
    let groups = fullGroups + (tail > 0 ? 1 : 0)
    let perGroup = length * min(16, inner)
    parallelFor(outer * groups, minimumChunk: max(1, fusedMinimumChunk / max(1, perGroup))) {
        range in
        let scratch =
            tail > 0
            ? UnsafeMutablePointer<Float>.allocate(capacity: scratchRows * tail * length) : nil
        defer { scratch?.deallocate() }
        for item in range {
            let group = item % groups
            let start = (item / groups) * length * inner + group * 16
            body(start, group < fullGroups ? 16 : tail, group < fullGroups ? nil : scratch)
        }
    }
}

/// Softmax or log-softmax down 16 adjacent columns that are `stride` floats apart per step.
@inline(__always)
private func softmaxColumns16(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, length: Int, stride: Int,
    _ logarithmic: Bool
) {
    var maximum = SIMD16<Float>(repeating: -.infinity)
    for j in 0..<length { maximum = FusedSIMD.maximum(maximum, FusedSIMD.load(x, j * stride)) }
    var total = SIMD16<Float>()
    if logarithmic {
        for j in 0..<length {
            total += vectorExpNonPositive(FusedSIMD.load(x, j * stride) - maximum)
        }
        var shift = SIMD16<Float>()
        for lane in 0..<16 { shift[lane] = maximum[lane] + log(total[lane]) }
        for j in 0..<length {
            FusedSIMD.store(FusedSIMD.load(x, j * stride) - shift, out, j * stride)
        }
    } else {
        for j in 0..<length {
            let e = vectorExpNonPositive(FusedSIMD.load(x, j * stride) - maximum)
            total += e
            FusedSIMD.store(e, out, j * stride)
        }
        let reciprocal = 1 / total
        for j in 0..<length {
            FusedSIMD.store(FusedSIMD.load(out, j * stride) * reciprocal, out, j * stride)
        }
    }
}

/// The backward of `softmaxColumns16` from its saved output `y`.
@inline(__always)
private func softmaxColumns16Backward(
    _ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
    length: Int, stride: Int, _ logarithmic: Bool
) {
    var reduced = SIMD16<Float>()
    if logarithmic {
        for j in 0..<length { reduced += FusedSIMD.load(g, j * stride) }
        for j in 0..<length {
            let e = vectorExpNonPositive(FusedSIMD.load(y, j * stride))
            FusedSIMD.store(FusedSIMD.load(g, j * stride) - e * reduced, dx, j * stride)
        }
    } else {
        for j in 0..<length {
            reduced += FusedSIMD.load(g, j * stride) * FusedSIMD.load(y, j * stride)
        }
        for j in 0..<length {
            let value = FusedSIMD.load(y, j * stride) * (FusedSIMD.load(g, j * stride) - reduced)
            FusedSIMD.store(value, dx, j * stride)
        }
    }
}

/// Copies `lanes` adjacent columns, `stride` floats apart per step, into `lanes` rows.
private func gatherColumns(
    _ source: UnsafePointer<Float>, stride: Int, lanes: Int, length: Int,
    into rows: UnsafeMutablePointer<Float>
) {
    for j in 0..<length {
        for lane in 0..<lanes { rows[lane * length + j] = source[j * stride + lane] }
    }
}

/// The inverse of `gatherColumns`.
private func scatterColumns(
    _ rows: UnsafePointer<Float>, lanes: Int, length: Int,
    into target: UnsafeMutablePointer<Float>, stride: Int
) {
    for j in 0..<length {
        for lane in 0..<lanes { target[j * stride + lane] = rows[lane * length + j] }
    }
}

/// Softmax of one contiguous row; `out` may equal `x`.
@inline(__always)
private func softmaxRow(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, width: Int) {
    let maximum = fusedRowMaximum(x, count: width)
    let total = fusedRowExponentials(x, out, count: width, shift: maximum)
    fusedRowAffine(out, out, count: width, factor: 1 / total, offset: 0)
}

/// Log-softmax of one contiguous row; `out` may equal `x`.
@inline(__always)
private func logSoftmaxRow(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, width: Int
) {
    let maximum = fusedRowMaximum(x, count: width)
    let total = fusedRowExponentials(x, nil, count: width, shift: maximum)
    fusedRowAffine(x, out, count: width, factor: 1, offset: -(maximum + log(total)))
}

/// `dx = y · (g − Σ g · y)` for one row; `dx` may equal `g`.
@inline(__always)
private func softmaxRowBackward(
    _ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
    width: Int
) {
    var d0 = SIMD16<Float>()
    var d1 = SIMD16<Float>()
    var i = 0
    while i + 32 <= width {
        d0 += FusedSIMD.load(g, i) * FusedSIMD.load(y, i)
        d1 += FusedSIMD.load(g, i + 16) * FusedSIMD.load(y, i + 16)
        i += 32
    }
    if i + 16 <= width {
        d0 += FusedSIMD.load(g, i) * FusedSIMD.load(y, i)
        i += 16
    }
    var dot = (d0 + d1).sum()
    while i < width { dot += g[i] * y[i]; i += 1 }
    i = 0
    while i + 16 <= width {
        FusedSIMD.store(FusedSIMD.load(y, i) * (FusedSIMD.load(g, i) - dot), dx, i)
        i += 16
    }
    while i < width { dx[i] = y[i] * (g[i] - dot); i += 1 }
}

/// `dx = g − exp(y) · Σ g` for one row; `dx` may equal `g`.
@inline(__always)
private func logSoftmaxRowBackward(
    _ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
    width: Int
) {
    let total = sumContiguous(g, count: width)
    var i = 0
    while i + 16 <= width {
        let e = vectorExpNonPositive(FusedSIMD.load(y, i))
        FusedSIMD.store(FusedSIMD.load(g, i) - e * total, dx, i)
        i += 16
    }
    if i < width {
        let rest = width - i
        let e = vectorExpNonPositive(FusedSIMD.loadPartial(y + i, count: rest, padding: 0))
        let value = FusedSIMD.loadPartial(g + i, count: rest, padding: 0) - e * total
        FusedSIMD.storePartial(value, dx + i, count: rest)
    }
}
