/// Naive twin of `gemm` and `splitGemm`: `C = alpha · op(A) · op(B) + beta · C` by a triple loop summing in
/// `Double`, over row-major operands with row strides `lda`, `ldb` and `ldc`.
///
/// `op(A)[i][l]` is `a[l · lda + i]` when `transposeA`, else `a[i · lda + l]`; likewise for B.
package func referenceGemm(
    _ a: UnsafePointer<Float>, transposeA: Bool, lda: Int,
    _ b: UnsafePointer<Float>, transposeB: Bool, ldb: Int,
    _ c: UnsafeMutablePointer<Float>, ldc: Int,
    m: Int, n: Int, k: Int, alpha: Float, beta: Float
) {
    for row in 0..<m {
        for column in 0..<n {
            var sum = 0.0
            for l in 0..<k {
                let aValue = transposeA ? a[l * lda + row] : a[row * lda + l]
                let bValue = transposeB ? b[column * ldb + l] : b[l * ldb + column]
                sum += Double(aValue) * Double(bValue)
            }
            let previous = beta == 0 ? 0 : Double(beta) * Double(c[row * ldc + column])
            c[row * ldc + column] = Float(Double(alpha) * sum + previous)
        }
    }
}
