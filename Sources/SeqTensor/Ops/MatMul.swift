import SeqKernels

extension Tensor {
    /// Matrix product over the last two axes, with the leading (batch) axes broadcast.
    ///
    /// Shapes: `[..., m, k] · [..., k, n] → [..., m, n]`; with `transposingOther`, `other` is
    /// read as `[..., n, k]` and used transposed, without a copy (as `x · Wᵀ` in a linear
    /// layer). Runs on BLAS.
    public func matmul(_ other: Tensor, transposingOther: Bool = false) -> Tensor {
        let (a, b) = (detached(), other.detached())
        let bTransposed = transposingOther
        let value = matmulResult(a, transposeA: false, b, transposeB: bTransposed)
        return value.recorded(from: [self, other]) { g in
            // dA = g · op(B)ᵀ; dB = (Aᵀ · g), transposed back when B was read transposed.
            let gradientA =
                self.isTracked
                ? matmulResult(g, transposeA: false, b, transposeB: !bTransposed) : nil
            var gradientB: Tensor? = nil
            if other.isTracked {
                // A single right matrix shared by a batch: fold the batch into k, one GEMM.
                let (left, right) =
                    b.rank == 2 ? (a.flattenedToMatrix(), g.flattenedToMatrix()) : (a, g)
                gradientB =
                    bTransposed
                    ? matmulResult(right, transposeA: true, left, transposeB: false)
                    : matmulResult(left, transposeA: true, right, transposeB: false)
            }
            return [gradientA, gradientB]
        }
    }
}

extension Tensor {
    /// The same storage as a `[rows, lastAxis]` matrix, untracked.
    fileprivate func flattenedToMatrix() -> Tensor {
        let columns = shape.last ?? 1
        return reshapedStorage([count / Swift.max(1, columns), columns])
    }
}

/// Untracked `op(a) · op(b)` over the last two axes with broadcast batch axes.
///
/// When `b` is a single matrix and `a` is not transposed, the batch is folded into the rows
/// of one GEMM.
package func matmulResult(
    _ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool
) -> Tensor {
    precondition(
        a.rank >= 2 && b.rank >= 2,
        "matmul: operands need at least two axes, got \(a.shape) × \(b.shape)")
    let (aRows, aColumns) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
    let (bRows, bColumns) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
    let (m, k) = transposeA ? (aColumns, aRows) : (aRows, aColumns)
    let (kB, n) = transposeB ? (bColumns, bRows) : (bRows, bColumns)
    precondition(k == kB, "matmul: inner dimensions differ, \(a.shape) × \(b.shape)")

    let aBatch = Array(a.shape.dropLast(2))
    let bBatch = Array(b.shape.dropLast(2))

    // [..., m, k] · [k, n]: fold the batch into the rows of one GEMM.
    if bBatch.isEmpty && !transposeA {
        let rows = a.count / max(1, k)
        let result = Tensor(uninitializedShape: aBatch + [m, n])
        gemm(
            a.storage.pointer, lda: aColumns, b.storage.pointer, transposeB: transposeB,
            ldb: bColumns, result.storage.pointer, ldc: n, m: aBatch.isEmpty ? m : rows, n: n, k: k
        )
        return result
    }
    let batch = broadcastShape(aBatch, bBatch, op: "matmul")
    let result = Tensor(uninitializedShape: batch + [m, n])
    let batchCount = batch.reduce(1, *)
    guard result.count > 0 else { return result }
    let aStrides = broadcastStrides(of: aBatch, to: batch)
    let bStrides = broadcastStrides(of: bBatch, to: batch)
    let (aMatrix, bMatrix) = (aRows * aColumns, bRows * bColumns)
    for index in 0..<batchCount {
        var remainder = index
        var aOffset = 0
        var bOffset = 0
        for axis in stride(from: batch.count - 1, through: 0, by: -1) {
            let i = remainder % batch[axis]
            remainder /= batch[axis]
            aOffset += i * aStrides[axis]
            bOffset += i * bStrides[axis]
        }
        gemm(
            a.storage.pointer + aOffset * aMatrix, transposeA: transposeA, lda: aColumns,
            b.storage.pointer + bOffset * bMatrix, transposeB: transposeB, ldb: bColumns,
            result.storage.pointer + index * m * n, ldc: n, m: m, n: n, k: k)
    }
    return result
}
