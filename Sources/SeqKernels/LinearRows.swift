// Linear layers over a few rows, as a decoding step runs them: `out = x · Wᵀ + b` with the
// weight in PyTorch's `[outputSize, inputSize]` layout. With one row this is a matrix–vector
// product, which GEMM serves badly (it packs all of W for one row); here every weight row is
// read once per call and dotted with every input row while it sits in L1.
//
// Two regimes. Up to `sequentialMaximumRows` rows the product is bound by reading W: weight
// rows are read one after another (a single stream the hardware prefetcher follows; reading
// four rows side by side ran three times slower on Zen 4) and each is dotted with the input
// rows two at a time. With more rows the product is bound by arithmetic: blocks of four
// weight rows are dotted with two input rows at a time, each weight load serving eight
// products. Within a regime, each output element is accumulated in the same order whatever
// the number of rows, their grouping or the core count; between regimes the order differs
// (by rounding only).

/// One weight of a `linearRows` call: `output[r · outputStride + n] (+)= x[r] · weight[n] +
/// bias[n]` for `n < outputSize`.
package struct LinearRowsTarget {
    /// The weight, `[outputSize, inputSize]`, row-major.
    package var weight: UnsafePointer<Float>
    /// The bias, `outputSize` elements, or `nil`.
    package var bias: UnsafePointer<Float>?
    /// Where row `r`'s outputs start: `output + r · outputStride`.
    package var output: UnsafeMutablePointer<Float>
    /// The number of weight rows, `N`.
    package var outputSize: Int
    /// Floats between consecutive rows of `output`.
    package var outputStride: Int
    /// Whether the products are added to `output` (a residual connection) instead of
    /// overwriting it.
    package var accumulates: Bool

    /// Describes one weight; `outputStride` defaults to `outputSize` (contiguous rows).
    package init(
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, outputSize: Int, outputStride: Int? = nil,
        accumulates: Bool = false
    ) {
        self.weight = weight
        self.bias = bias
        self.output = output
        self.outputSize = outputSize
        self.outputStride = outputStride ?? outputSize
        self.accumulates = accumulates
    }
}

/// Weight rows per block of the blocked regime: four dot products share each input load.
private let blockRows = 4

/// Rows up to which `linearRows` reads weight rows one after another.
let sequentialMaximumRows = 8

/// Multiply–adds per worker below which a call stays on one thread.
private let linearMinimumWork = 1 << 15

/// The same in the sequential regime, bound by reading the weights: one core streams them from
/// cache about as fast as two, and waking a second thread costs more than it saves on small
/// weights.
private let sequentialMinimumWork = 1 << 19

/// `out = x · Wᵀ + b` for every target, for `rows` input rows of `inputSize` floats at `x`
/// (row `r` at `x + r · inputStride`).
///
/// All targets share the input rows and are split across cores together, so the query, key
/// and value projections of an attention layer cost one parallel region. Outputs must not
/// overlap each other or the input.
package func linearRows(
    _ x: UnsafePointer<Float>, rows: Int, inputSize: Int, inputStride: Int? = nil,
    targets: [LinearRowsTarget]
) {
    let stride = inputStride ?? inputSize
    guard rows > 0, !targets.isEmpty else { return }
    // Unit u of the whole call (a weight row, or a block of four) is unit u − firstUnit[t]
    // of target t.
    let sequential = rows <= sequentialMaximumRows
    let unitRows = sequential ? 1 : blockRows
    var unitStarts = [0]
    for target in targets {
        unitStarts.append(
            unitStarts[unitStarts.count - 1] + (target.outputSize + unitRows - 1) / unitRows)
    }
    let (firstUnit, unitCount) = (unitStarts, unitStarts[unitStarts.count - 1])
    let workPerUnit = max(1, unitRows * inputSize * rows)
    let minimumWork = sequential ? sequentialMinimumWork : linearMinimumWork
    nonisolated(unsafe) let (x, targets) = (x, targets)  // workers write disjoint outputs
    parallelFor(unitCount, minimumChunk: max(1, minimumWork / workPerUnit)) { range in
        // Each block is copied here first: one sequential read of its four (adjacent) weight
        // rows, which the prefetcher follows, instead of four interleaved streams.
        withUnsafeTemporaryAllocation(
            of: Float.self, capacity: sequential ? 1 : unitRows * inputSize
        ) {
            packed in
            guard let packed = packed.baseAddress else { return }
            var targetIndex = 0
            for unit in range {
                while unit >= firstUnit[targetIndex + 1] { targetIndex += 1 }
                let target = targets[targetIndex]
                let first = (unit - firstUnit[targetIndex]) * unitRows
                if sequential {
                    linearRow(
                        x, rows: rows, inputSize: inputSize, inputStride: stride, target: target,
                        output: first)
                } else {
                    let count = min(blockRows, target.outputSize - first)
                    packed.update(from: target.weight + first * inputSize, count: count * inputSize)
                    linearBlock(
                        x, rows: rows, inputSize: inputSize, inputStride: stride, target: target,
                        weight: packed, firstOutput: first, count: count)
                }
            }
        }
    }
}

package func linearRowsOrGEMM(
    _ x: UnsafePointer<Float>, rows: Int, inputSize: Int, targets: [LinearRowsTarget]
) {
    guard rows > linearRowsMaximumRows else {
        return linearRows(x, rows: rows, inputSize: inputSize, targets: targets)
    }
    for target in targets {
        gemm(
            x, lda: inputSize, target.weight, transposeB: true, ldb: inputSize, target.output,
            ldc: target.outputStride, m: rows, n: target.outputSize, k: inputSize,
            beta: target.accumulates ? 1 : 0)
        guard let targetBias = target.bias else { continue }
        nonisolated(unsafe) let (output, bias) = (target.output, targetBias)  // disjoint rows
        let (size, stride) = (target.outputSize, target.outputStride)
        parallelFor(rows, minimumChunk: max(1, elementwiseMinimumChunk / max(1, size))) { range in
            for row in range {
                let out = output + row * stride
                var i = 0
                while i + 16 <= size {
                    FusedSIMD.store(FusedSIMD.load(out, i) + FusedSIMD.load(bias, i), out, i)
                    i += 16
                }
                while i < size {
                    out[i] += bias[i]
                    i += 1
                }
            }
        }
    }
}

/// Output `output` of `target` for every row, in the sequential regime: one weight row,
/// dotted with the input rows two at a time while it sits in L1.
@inline(__always)
private func linearRow(
    _ x: UnsafePointer<Float>, rows: Int, inputSize: Int, inputStride: Int,
    target: LinearRowsTarget, output: Int
) {
    let weight = target.weight + output * inputSize
    let bias = target.bias?[output] ?? 0
    func store(_ sum: Float, row: Int) {
        let out = target.output + row * target.outputStride + output
        if target.accumulates { out.pointee += sum } else { out.pointee = sum }
    }
    var row = 0
    while row + 2 <= rows {
        let (first, second) = twoDots(
            weight, x + row * inputStride, x + (row + 1) * inputStride, count: inputSize)
        store(first + bias, row: row)
        store(second + bias, row: row + 1)
        row += 2
    }
    if row < rows {
        store(oneDot(weight, x + row * inputStride, count: inputSize) + bias, row: row)
    }
}

/// `w · v` over `count` floats: four eight-lane accumulators take 32 floats per step (so the
/// additions of a step do not wait on each other), then `(a0 + a1) + (a2 + a3)` with its lanes
/// summed pairwise, then the tail one float at a time.
@inline(__always)
private func oneDot(_ w: UnsafePointer<Float>, _ v: UnsafePointer<Float>, count: Int) -> Float {
    var (a0, a1, a2, a3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var i = 0
    while i + 32 <= count {
        a0 += load8(w, i) * load8(v, i)
        a1 += load8(w, i + 8) * load8(v, i + 8)
        a2 += load8(w, i + 16) * load8(v, i + 16)
        a3 += load8(w, i + 24) * load8(v, i + 24)
        i += 32
    }
    var sum = horizontalSum((a0 + a1) + (a2 + a3))
    while i < count {
        sum += w[i] * v[i]
        i += 1
    }
    return sum
}

/// `(w · u, w · v)`, each accumulated exactly as `oneDot` accumulates it; each weight load
/// serves both.
@inline(__always)
private func twoDots(
    _ w: UnsafePointer<Float>, _ u: UnsafePointer<Float>, _ v: UnsafePointer<Float>, count: Int
) -> (Float, Float) {
    var (a0, a1, a2, a3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var (b0, b1, b2, b3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var i = 0
    while i + 32 <= count {
        let w0 = load8(w, i)
        a0 += w0 * load8(u, i)
        b0 += w0 * load8(v, i)
        let w1 = load8(w, i + 8)
        a1 += w1 * load8(u, i + 8)
        b1 += w1 * load8(v, i + 8)
        let w2 = load8(w, i + 16)
        a2 += w2 * load8(u, i + 16)
        b2 += w2 * load8(v, i + 16)
        let w3 = load8(w, i + 24)
        a3 += w3 * load8(u, i + 24)
        b3 += w3 * load8(v, i + 24)
        i += 32
    }
    var first = horizontalSum((a0 + a1) + (a2 + a3))
    var second = horizontalSum((b0 + b1) + (b2 + b3))
    while i < count {
        first += w[i] * u[i]
        second += w[i] * v[i]
        i += 1
    }
    return (first, second)
}

/// Outputs `firstOutput ..< firstOutput + count` (`count ≤ 4`) of `target` for every row, in
/// the blocked regime, from those weight rows copied to `weight`.
@inline(__always)
private func linearBlock(
    _ x: UnsafePointer<Float>, rows: Int, inputSize: Int, inputStride: Int,
    target: LinearRowsTarget, weight: UnsafePointer<Float>, firstOutput: Int, count: Int
) {
    // Missing rows of a short block repeat the last real row; their sums are discarded.
    let w0 = weight
    let w1 = weight + min(1, count - 1) * inputSize
    let w2 = weight + min(2, count - 1) * inputSize
    let w3 = weight + min(3, count - 1) * inputSize
    var bias = SIMD4<Float>(repeating: 0)
    if let b = target.bias {
        for lane in 0..<count { bias[lane] = b[firstOutput + lane] }
    }
    func store(_ sums: SIMD4<Float>, row: Int) {
        let out = target.output + row * target.outputStride + firstOutput
        if target.accumulates {
            for lane in 0..<count { out[lane] += sums[lane] }
        } else {
            for lane in 0..<count { out[lane] = sums[lane] }
        }
    }
    var row = 0
    while row + 2 <= rows {
        let (first, second) = fourDotsOfTwoRows(
            w0, w1, w2, w3, x + row * inputStride, x + (row + 1) * inputStride, count: inputSize)
        store(first + bias, row: row)
        store(second + bias, row: row + 1)
        row += 2
    }
    if row < rows {
        store(fourDots(w0, w1, w2, w3, x + row * inputStride, count: inputSize) + bias, row: row)
    }
}

/// `fourDots` for two input rows at once.
///
/// Each weight load serves two rows; each row's sums are accumulated exactly as `fourDots`
/// accumulates them.
@inline(__always)
private func fourDotsOfTwoRows(
    _ w0: UnsafePointer<Float>, _ w1: UnsafePointer<Float>, _ w2: UnsafePointer<Float>,
    _ w3: UnsafePointer<Float>, _ u: UnsafePointer<Float>, _ v: UnsafePointer<Float>, count: Int
) -> (SIMD4<Float>, SIMD4<Float>) {
    var (a0, a1, a2, a3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var (b0, b1, b2, b3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var i = 0
    while i + 8 <= count {
        let (x, y) = (load8(u, i), load8(v, i))
        let (r0, r1, r2, r3) = (load8(w0, i), load8(w1, i), load8(w2, i), load8(w3, i))
        a0 += r0 * x
        b0 += r0 * y
        a1 += r1 * x
        b1 += r1 * y
        a2 += r2 * x
        b2 += r2 * y
        a3 += r3 * x
        b3 += r3 * y
        i += 8
    }
    var first = SIMD4<Float>(
        horizontalSum(a0), horizontalSum(a1), horizontalSum(a2), horizontalSum(a3))
    var second = SIMD4<Float>(
        horizontalSum(b0), horizontalSum(b1), horizontalSum(b2), horizontalSum(b3))
    while i < count {
        let weights = SIMD4(w0[i], w1[i], w2[i], w3[i])
        first += weights * u[i]
        second += weights * v[i]
        i += 1
    }
    return (first, second)
}

/// The dot products of four weight rows with `v`, `count` floats each.
///
/// Eight-lane accumulators: four of them and the five vectors loaded per step fit the 16
/// vector registers of AVX2. Lanes are summed pairwise at the end, in a fixed order. Products
/// and sums are separate operations (no `addingProduct`, which becomes a libm call per lane
/// when the target has no FMA).
@inline(__always)
private func fourDots(
    _ w0: UnsafePointer<Float>, _ w1: UnsafePointer<Float>, _ w2: UnsafePointer<Float>,
    _ w3: UnsafePointer<Float>, _ v: UnsafePointer<Float>, count: Int
) -> SIMD4<Float> {
    var (a0, a1, a2, a3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var i = 0
    while i + 8 <= count {
        let x = load8(v, i)
        a0 += load8(w0, i) * x
        a1 += load8(w1, i) * x
        a2 += load8(w2, i) * x
        a3 += load8(w3, i) * x
        i += 8
    }
    var sums = SIMD4<Float>(
        horizontalSum(a0), horizontalSum(a1), horizontalSum(a2), horizontalSum(a3))
    while i < count {
        let x = v[i]
        sums += SIMD4(w0[i], w1[i], w2[i], w3[i]) * x
        i += 1
    }
    return sums
}

/// Eight floats at `p + i`, unaligned.
@inline(__always)
private func load8(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
}

/// The sum of the lanes of `v`, pairwise.
@inline(__always)
private func horizontalSum(_ v: SIMD8<Float>) -> Float {
    let four = v.lowHalf + v.highHalf
    let two = four.lowHalf + four.highHalf
    return two[0] + two[1]
}
