import SeqKernels
import Testing

/// `splitGemm` (inside `withSingleThreadedBLAS`) against its naive twin on products large
/// enough to be split across cores (by rows when C is tall, by columns when it is wide),
/// small ones, and every layout of A and B.
@Suite struct SplitGemmKernelTests {
    /// (m, n, k): split by rows, split by columns, odd sizes around the split threshold and
    /// the 16-wide blocks, and products small enough for one call.
    static let shapes = [
        (200, 130, 100), (70, 300, 120), (333, 17, 1000), (65, 1000, 33), (17, 16, 15),
    ]

    @Test(arguments: shapes, [(false, false), (false, true), (true, false), (true, true)])
    func matchesReference(shape: (m: Int, n: Int, k: Int), transposes: (a: Bool, b: Bool)) {
        let (m, n, k) = shape
        // Row strides wider than the rows, to check that every stride is honoured.
        let lda = (transposes.a ? m : k) + 3
        let ldb = (transposes.b ? k : n) + 2
        let ldc = n + 1
        let a = fusedKernelInput((transposes.a ? k : m) * lda, phase: 0.2, scale: 1)
        let b = fusedKernelInput((transposes.b ? n : k) * ldb, phase: 1.3, scale: 1)
        for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1)] {
            let start = fusedKernelInput(m * ldc, phase: 2.1, scale: 1)
            var (fast, naive) = (start, start)
            withSingleThreadedBLAS {
                splitGemm(
                    a, transposeA: transposes.a, lda: lda, b, transposeB: transposes.b, ldb: ldb,
                    &fast, ldc: ldc, m: m, n: n, k: k, alpha: alpha, beta: beta)
            }
            referenceGemm(
                a, transposeA: transposes.a, lda: lda, b, transposeB: transposes.b, ldb: ldb,
                &naive, ldc: ldc, m: m, n: n, k: k, alpha: alpha, beta: beta)
            expectFusedKernelClose(
                fast, naive, relative: 1e-5, absolute: 1e-5 * Float(k).squareRoot(),
                "\(m)×\(n)×\(k) transposes \(transposes) alpha \(alpha) beta \(beta)")
        }
    }
}
