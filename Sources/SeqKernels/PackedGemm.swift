import Dispatch

#if canImport(Accelerate)
    /// Whether products use fused multiply-add: always on ARM, never on Apple's x86 builds.
    @inline(__always) private var usesFusedMultiplyAdd: Bool {
        #if arch(arm64)
            return true
        #else
            return false
        #endif
    }
#else
    import CBLAS

    /// Whether products use fused multiply-add: when the build targets it (the C macro follows
    /// `-Xcc -march=…`), since without the instruction each one is a libm call per lane.
    @inline(__always) private var usesFusedMultiplyAdd: Bool { SEQ_TARGET_HAS_FMA != 0 }
#endif

// Matrix products with few rows against a matrix that is reused many times, as a recurrent
// layer's h · W_hhᵀ at every time step: the reused matrix is packed once into panels of 16
// columns, and each product streams the rows of A against those panels. BLAS repacks its
// operands on every call, which for 64-row products costs about as much as the arithmetic.
// Panels are shared out to the cores one small group at a time, so a core slowed by other
// work takes fewer of them.

/// Columns per packed panel: one `SIMD16<Float>`.
private let panelWidth = 16

/// The number of floats `packColumnPanels` writes for a `k × n` matrix.
package func packedPanelsCount(k: Int, n: Int) -> Int {
    k * ((n + panelWidth - 1) / panelWidth) * panelWidth
}

/// Packs `op(B)` (`k × n`) into panels of 16 columns, each stored `k × 16` contiguously, for
/// `packedGemm`; columns past `n` are zero.
///
/// `op(B)[i][j]` is `b[j · ldb + i]` when `transposed` (B stored `n × k`, as a weight `W` used
/// as `Wᵀ`), else `b[i · ldb + j]`. `packed` holds `packedPanelsCount(k:n:)` floats.
package func packColumnPanels(
    _ b: UnsafePointer<Float>, transposed: Bool, ldb: Int, k: Int, n: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    let panels = (n + panelWidth - 1) / panelWidth
    nonisolated(unsafe) let (b, packed) = (b, packed)  // workers write disjoint panels
    parallelFor(panels, minimumChunk: max(1, 65_536 / max(1, k * panelWidth))) { range in
        for panel in range {
            let target = packed + panel * k * panelWidth
            let first = panel * panelWidth
            let width = min(panelWidth, n - first)
            for i in 0..<k {
                let row = target + i * panelWidth
                for j in 0..<width {
                    row[j] = transposed ? b[(first + j) * ldb + i] : b[i * ldb + first + j]
                }
                for j in width..<panelWidth { row[j] = 0 }
            }
        }
    }
}

/// `C = A · op(B)`, or `C += A · op(B)` when `accumulate`, with `op(B)` packed by
/// `packColumnPanels`.
///
/// `A` is `m × k` with row stride `lda`, `C` is `m × n` with row stride `ldc`. Each output
/// element sums its `k` products in order, whatever the core count.
package func packedGemm(
    _ a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<Float>,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, k: Int, accumulate: Bool
) {
    guard m > 0, n > 0 else { return }
    let panels = (n + panelWidth - 1) / panelWidth
    // Groups of panels small enough that every core gets several, large enough to amortise.
    let groupSize = max(1, min(4, panels / (4 * kernelThreadCount)))
    let groups = (panels + groupSize - 1) / groupSize
    nonisolated(unsafe) let (a, packed, c) = (a, packed, c)  // workers write disjoint columns
    let body: @Sendable (Int) -> Void = { group in
        for panel in (group * groupSize)..<min(panels, (group + 1) * groupSize) {
            let first = panel * panelWidth
            multiplyPanel(
                a, lda: lda, panel: packed + panel * k * panelWidth, c + first, ldc: ldc, m: m,
                width: min(panelWidth, n - first), k: k, accumulate: accumulate)
        }
    }
    if groups == 1 || m * n * k < 1 << 18 {
        for group in 0..<groups { body(group) }
    } else {
        DispatchQueue.concurrentPerform(iterations: groups, execute: body)
    }
}

/// All `m` rows of `A` times one panel, into `width` columns of `C`: six rows at a time (12 of
/// the 16 AVX2 vector registers hold the sums), then four, then one.
@inline(__always)
private func multiplyPanel(
    _ a: UnsafePointer<Float>, lda: Int, panel: UnsafePointer<Float>,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, width: Int, k: Int, accumulate: Bool
) {
    let b = UnsafeRawPointer(panel)
    var row = 0
    while row + 6 <= m {
        let (a0, a1, a2) = (a + row * lda, a + (row + 1) * lda, a + (row + 2) * lda)
        let (a3, a4, a5) = (a + (row + 3) * lda, a + (row + 4) * lda, a + (row + 5) * lda)
        var (s0, s1, s2) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        var (s3, s4, s5) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        for i in 0..<k {
            let v = b.load(fromByteOffset: i * 64, as: SIMD16<Float>.self)
            multiplyAdd(&s0, v, a0[i])
            multiplyAdd(&s1, v, a1[i])
            multiplyAdd(&s2, v, a2[i])
            multiplyAdd(&s3, v, a3[i])
            multiplyAdd(&s4, v, a4[i])
            multiplyAdd(&s5, v, a5[i])
        }
        let target = c + row * ldc
        storeRow(s0, target, width: width, accumulate: accumulate)
        storeRow(s1, target + ldc, width: width, accumulate: accumulate)
        storeRow(s2, target + 2 * ldc, width: width, accumulate: accumulate)
        storeRow(s3, target + 3 * ldc, width: width, accumulate: accumulate)
        storeRow(s4, target + 4 * ldc, width: width, accumulate: accumulate)
        storeRow(s5, target + 5 * ldc, width: width, accumulate: accumulate)
        row += 6
    }
    if row + 4 <= m {
        let (a0, a1, a2, a3) = (
            a + row * lda, a + (row + 1) * lda, a + (row + 2) * lda, a + (row + 3) * lda
        )
        var (s0, s1, s2, s3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        for i in 0..<k {
            let v = b.load(fromByteOffset: i * 64, as: SIMD16<Float>.self)
            multiplyAdd(&s0, v, a0[i])
            multiplyAdd(&s1, v, a1[i])
            multiplyAdd(&s2, v, a2[i])
            multiplyAdd(&s3, v, a3[i])
        }
        let target = c + row * ldc
        storeRow(s0, target, width: width, accumulate: accumulate)
        storeRow(s1, target + ldc, width: width, accumulate: accumulate)
        storeRow(s2, target + 2 * ldc, width: width, accumulate: accumulate)
        storeRow(s3, target + 3 * ldc, width: width, accumulate: accumulate)
        row += 4
    }
    while row < m {
        let a0 = a + row * lda
        var s0 = SIMD16<Float>()
        for i in 0..<k {
            multiplyAdd(&s0, b.load(fromByteOffset: i * 64, as: SIMD16<Float>.self), a0[i])
        }
        storeRow(s0, c + row * ldc, width: width, accumulate: accumulate)
        row += 1
    }
}

/// Writes (or adds) the first `width` lanes of `sum` at `target`.
@inline(__always)
private func storeRow(
    _ sum: SIMD16<Float>, _ target: UnsafeMutablePointer<Float>, width: Int, accumulate: Bool
) {
    let value = accumulate ? sum + loadLanes(target, count: width, padding: 0) : sum
    storeLanes(value, to: target, count: width)
}

/// `sum += v · x`, fused where the build targets fused multiply-add.
@_transparent
private func multiplyAdd(_ sum: inout SIMD16<Float>, _ v: SIMD16<Float>, _ x: Float) {
    if usesFusedMultiplyAdd {
        sum.addProduct(v, SIMD16(repeating: x))
    } else {
        sum += v * x
    }
}
