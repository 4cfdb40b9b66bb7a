import SeqKernels

extension Tensor {
    /// The axes reordered so that output axis `i` is input axis `axes[i]`, copied contiguously.
    ///
    /// `axes` is a permutation of `0..<rank`; negative entries count from the end. Shapes:
    /// `[B, T, H, D].permuted([0, 2, 1, 3])` is `[B, H, T, D]`. When the last axis stays last,
    /// as in that attention reshuffle, each row is one contiguous copy. The backward permutes
    /// the gradient by the inverse permutation.
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(
            axes.count == rank,
            "permuted: \(axes) has \(axes.count) axes, shape \(shape) has \(rank)")
        let order = axes.map { normalizedAxis($0, rank: rank, op: "permuted") }
        precondition(
            Set(order).count == rank,
            "permuted: \(axes) is not a permutation of the axes of \(shape)")
        if order == Array(0..<rank) { return self }
        let result = Tensor(uninitializedShape: order.map { shape[$0] })
        permuteCopy(storage.pointer, result.storage.pointer, shape: shape, permutation: order)
        var inverse = order
        for (outputAxis, inputAxis) in order.enumerated() { inverse[inputAxis] = outputAxis }
        return result.recorded(from: [self]) { g in [g.permuted(inverse)] }
    }

    /// This tensor with axes `axis0` and `axis1` swapped, copied contiguously.
    ///
    /// Negative axes count from the end: `keys.transposed(-1, -2)` turns `[B, H, S, D]` into
    /// `[B, H, D, S]`.
    public func transposed(_ axis0: Int, _ axis1: Int) -> Tensor {
        let first = normalizedAxis(axis0, rank: rank, op: "transposed")
        let second = normalizedAxis(axis1, rank: rank, op: "transposed")
        var order = Array(0..<rank)
        order.swapAt(first, second)
        return permuted(order)
    }

    /// This tensor with its last two axes swapped: `[..., m, n]` becomes `[..., n, m]`.
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed(): needs at least two axes, got shape \(shape)")
        return transposed(-1, -2)
    }
}
