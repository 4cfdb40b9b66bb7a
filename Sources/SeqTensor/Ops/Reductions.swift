import SeqKernels

extension Tensor {
    /// Sum over `axes` (negative axes count from the end), optionally keeping them as size 1.
    public func sum(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let normalized = Set(axes.map { normalizedAxis($0, rank: rank, op: "sum") }).sorted()
        var result = detached()
        for axis in normalized.reversed() {
            result = sumKeepingAxis(result, axis: axis)
        }
        let reducedShape =
            keepingDimensions
            ? result.shape : shape.indices.filter { !normalized.contains($0) }.map { shape[$0] }
        let value = result.reshapedStorage(reducedShape)
        let inputShape = shape
        let keptShape = result.shape
        return value.recorded(from: [self]) { g in
            [g.reshaped(keptShape).expanded(to: inputShape)]
        }
    }

    /// Sum of every element, as a rank-0 tensor.
    public func sum() -> Tensor { sum(axes: Array(0..<rank)) }

    /// Mean over `axes`, optionally keeping them as size 1.
    public func mean(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let normalized = Set(axes.map { normalizedAxis($0, rank: rank, op: "mean") })
        let n = normalized.reduce(1) { $0 * shape[$1] }
        let scale = 1 / Float(Swift.max(n, 1))
        return sum(axes: axes, keepingDimensions: keepingDimensions) * scale
    }

    /// Mean of every element, as a rank-0 tensor.
    public func mean() -> Tensor { mean(axes: Array(0..<rank)) }
}

/// Untracked sum over one axis, keeping it as size 1.
private func sumKeepingAxis(_ x: Tensor, axis: Int) -> Tensor {
    var shape = x.shape
    let outer = shape[..<axis].reduce(1, *)
    let length = shape[axis]
    let inner = shape[(axis + 1)...].reduce(1, *)
    shape[axis] = 1
    let result = Tensor(uninitializedShape: shape)
    if result.count > 0 {
        sumAxis(
            x.storage.pointer, result.storage.pointer, outer: outer, length: length, inner: inner)
    }
    return result
}
