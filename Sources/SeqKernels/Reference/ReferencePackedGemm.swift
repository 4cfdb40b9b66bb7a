/// Naive twin of `packedGemm` on the unpacked `op(B)`: a triple loop summing in `Double`.
///
/// `op(B)[i][j]` is `b[j · ldb + i]` when `transposed`, else `b[i · ldb + j]`, as in
/// `packColumnPanels`.
package func referencePackedGemm(
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, transposed: Bool, ldb: Int,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, k: Int, accumulate: Bool
) {
    for row in 0..<m {
        for column in 0..<n {
            var sum = accumulate ? Double(c[row * ldc + column]) : 0
            for i in 0..<k {
                let bValue = transposed ? b[column * ldb + i] : b[i * ldb + column]
                sum += Double(a[row * lda + i]) * Double(bValue)
            }
            c[row * ldc + column] = Float(sum)
        }
    }
}
