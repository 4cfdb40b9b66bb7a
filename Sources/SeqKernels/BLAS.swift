#if canImport(Accelerate)
    import Accelerate
#else
    import CBLAS
#endif

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
