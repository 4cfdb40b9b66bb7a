import SeqKernels
import Testing

/// `packedGemm` (with `packColumnPanels`) against its naive twin, with every dimension at the
/// odd sizes in turn, both layouts of B, row strides wider than the rows, and accumulation.
@Suite struct PackedGemmKernelTests {
    /// (m, n, k): each of 1, 15, 16, 17 and 1000 appears as m, as n and as k.
    static let shapes = kernelTestSizes.flatMap { size in
        [(size, 17, 15), (5, size, 16), (6, 16, size)]
    }

    @Test(arguments: shapes, [true, false])
    func matchesReference(shape: (m: Int, n: Int, k: Int), transposed: Bool) {
        let (m, n, k) = shape
        // Row strides wider than the rows, to check that every stride is honoured.
        let (lda, ldb, ldc) = (k + 3, (transposed ? k : n) + 2, n + 1)
        let a = fusedKernelInput(m * lda, phase: 0.2, scale: 1)
        let b = fusedKernelInput((transposed ? n : k) * ldb, phase: 1.3, scale: 1)
        var packed = [Float](repeating: .nan, count: packedPanelsCount(k: k, n: n))
        packColumnPanels(b, transposed: transposed, ldb: ldb, k: k, n: n, into: &packed)
        for accumulate in [false, true] {
            let start = fusedKernelInput(m * ldc, phase: 2.1, scale: 1)
            var (fast, naive) = (start, start)
            packedGemm(
                a, lda: lda, packed: packed, &fast, ldc: ldc, m: m, n: n, k: k,
                accumulate: accumulate)
            referencePackedGemm(
                a, lda: lda, b, transposed: transposed, ldb: ldb, &naive, ldc: ldc, m: m, n: n,
                k: k, accumulate: accumulate)
            expectFusedKernelClose(
                fast, naive, relative: 1e-5, absolute: 1e-5 * Float(k).squareRoot(),
                "\(m)×\(n)×\(k) transposed \(transposed) accumulate \(accumulate)")
        }
    }
}
