#if canImport(Accelerate)
    import Accelerate
#else
    import CBLAS
#endif
import Dispatch

/// Whether BLAS has been limited to our thread budget yet; set once, before the first GEMM.
private let blasThreadsConfigured: Bool = {
    #if !canImport(Accelerate)
        // GEMM runs on the caller's thread, never inside `parallelFor`, so BLAS may use every
        // core; capping it at our own count keeps the two pools from oversubscribing.
        openblas_set_num_threads(Int32(kernelThreadCount))
    #endif
    return true
}()

/// Rows up to which `gemm` computes `A · Bᵀ` with `linearRows` instead of BLAS.
let linearRowsMaximumRows = 64

/// `C = alpha · op(A) · op(B) + beta · C` for row-major matrices, through the system BLAS
/// (or `linearRows` for `A · Bᵀ` with at most `linearRowsMaximumRows` rows).
///
/// `op(A)` is `m × k` and `op(B)` is `k × n`; `lda`, `ldb` and `ldc` are the row strides of the
/// matrices as stored, so transposed operands are read in place without a copy.
package func gemm(
    _ a: UnsafePointer<Float>, transposeA: Bool = false, lda: Int,
    _ b: UnsafePointer<Float>, transposeB: Bool = false, ldb: Int,
    _ c: UnsafeMutablePointer<Float>, ldc: Int,
    m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
) {
    precondition(blasThreadsConfigured)
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if beta == 0 { c.update(repeating: 0, count: (m - 1) * ldc + n) }
        return
    }
    if m <= linearRowsMaximumRows && !transposeA && transposeB && ldb == k && alpha == 1
        && (beta == 0 || beta == 1)
    {
        // `x · Wᵀ` over a few rows (a decoding step, a short sentence): BLAS packs all of W
        // for them and its threads cost more than the product.
        linearRows(
            a, rows: m, inputSize: k, inputStride: lda,
            targets: [
                LinearRowsTarget(
                    weight: b, bias: nil, output: c, outputSize: n, outputStride: ldc,
                    accumulates: beta == 1)
            ])
        return
    }
    singleCallSgemm(
        a, transposeA: transposeA, lda: lda, b, transposeB: transposeB, ldb: ldb, c, ldc: ldc,
        m: m, n: n, k: k, alpha: alpha, beta: beta)
}

/// Runs `body` with BLAS limited to the calling thread, for kernels that share their products
/// out over our own workers with `splitGemm`.
///
/// OpenBLAS's pool threads spin for about 0.1 s after each threaded call; a kernel that
/// alternates GEMMs with its own parallel work (a recurrent layer's time steps) would share
/// the cores with them.
package func withSingleThreadedBLAS<Result>(_ body: () -> Result) -> Result {
    precondition(blasThreadsConfigured)
    #if !canImport(Accelerate)
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(Int32(kernelThreadCount)) }
    #endif
    return body()
}

/// Multiply-adds (`m · n · k`) from which `splitGemm` shares a product out across cores.
let splitGemmMinimumWork = 1 << 21

/// `gemm` for code inside `withSingleThreadedBLAS`: a large product is split into one block
/// of C per core (along C's longer side, in multiples of 16, so only the smaller operand is
/// packed twice), each computed by one single-threaded BLAS call on our workers.
package func splitGemm(
    _ a: UnsafePointer<Float>, transposeA: Bool = false, lda: Int,
    _ b: UnsafePointer<Float>, transposeB: Bool = false, ldb: Int,
    _ c: UnsafeMutablePointer<Float>, ldc: Int,
    m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
) {
    guard m * n * k >= splitGemmMinimumWork && kernelThreadCount > 1 else {
        return gemm(
            a, transposeA: transposeA, lda: lda, b, transposeB: transposeB, ldb: ldb, c,
            ldc: ldc, m: m, n: n, k: k, alpha: alpha, beta: beta)
    }
    let parts = kernelThreadCount
    let splitsRows = m > n
    let length = splitsRows ? m : n
    let chunk = (length / parts + 15) / 16 * 16
    nonisolated(unsafe) let (a, b, c) = (a, b, c)  // workers write disjoint blocks of C
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        let start = part * chunk
        let count = min(length, start + chunk) - start
        guard count > 0 else { return }
        if splitsRows {
            singleCallSgemm(
                transposeA ? a + start : a + start * lda, transposeA: transposeA, lda: lda,
                b, transposeB: transposeB, ldb: ldb, c + start * ldc, ldc: ldc,
                m: count, n: n, k: k, alpha: alpha, beta: beta)
        } else {
            singleCallSgemm(
                a, transposeA: transposeA, lda: lda,
                transposeB ? b + start * ldb : b + start, transposeB: transposeB, ldb: ldb,
                c + start, ldc: ldc, m: m, n: count, k: k, alpha: alpha, beta: beta)
        }
    }
}

/// One `cblas_sgemm` call, row-major.
private func singleCallSgemm(
    _ a: UnsafePointer<Float>, transposeA: Bool, lda: Int,
    _ b: UnsafePointer<Float>, transposeB: Bool, ldb: Int,
    _ c: UnsafeMutablePointer<Float>, ldc: Int,
    m: Int, n: Int, k: Int, alpha: Float, beta: Float
) {
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
        transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Calls `cblas_sgemm` directly on contiguous row-major `m × k` and `k × n` matrices.
///
/// The benchmark's reference: the same library call our `gemm` makes, without any wrapper.
package func referenceSgemm(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int
) {
    precondition(blasThreadsConfigured)
    cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
        1, a, Int32(k), b, Int32(n), 0, c, Int32(n))
}
