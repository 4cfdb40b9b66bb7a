import SeqKernels

extension Tensor {
    /// Maximum over `axes` (negative axes count from the end), optionally keeping them as size 1.
    ///
    /// NaN wins over numbers. The gradient flows to one element per output: the first maximum
    /// in row-major order.
    public func max(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        extremum(.maximum, axes: axes, keepingDimensions: keepingDimensions, op: "max")
    }

    /// Minimum over `axes` (negative axes count from the end), optionally keeping them as size 1.
    ///
    /// NaN wins over numbers. The gradient flows to one element per output: the first minimum
    /// in row-major order.
    public func min(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        extremum(.minimum, axes: axes, keepingDimensions: keepingDimensions, op: "min")
    }

    /// Maximum of every element, as a rank-0 tensor.
    public func max() -> Tensor { max(axes: Array(0..<rank)) }

    /// Minimum of every element, as a rank-0 tensor.
    public func min() -> Tensor { min(axes: Array(0..<rank)) }

    /// Index of the maximum along `axis`, stored as `Float`; the first one on ties.
    ///
    /// Not differentiable: the result is never tracked.
    public func argmax(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        argExtremum(.maximum, axis: axis, keepingDimensions: keepingDimensions, op: "argmax")
    }

    /// Index of the minimum along `axis`, stored as `Float`; the first one on ties.
    ///
    /// Not differentiable: the result is never tracked.
    public func argmin(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        argExtremum(.minimum, axis: axis, keepingDimensions: keepingDimensions, op: "argmin")
    }

    /// `log Σ exp(x)` over `axes`, computed stably (the maximum is subtracted first), so large
    /// inputs such as 1000 stay finite.
    ///
    /// The gradient is `exp(x - logSumExp)`, the softmax over the reduced axes. A slice of only
    /// `-inf` gives `-inf`.
    public func logSumExp(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let normalized = normalizedAxes(axes, op: "logSumExp")
        var result = self
        for axis in normalized.reversed() { result = result.logSumExpKeepingAxis(axis) }
        return result.reshaped(reducedShape(normalized, keepingDimensions: keepingDimensions))
    }
}

extension Tensor {
    /// Sorted, deduplicated, non-negative axes; traps, naming `op`, on an axis out of range.
    private func normalizedAxes(_ axes: [Int], op: String) -> [Int] {
        Set(axes.map { normalizedAxis($0, rank: rank, op: op) }).sorted()
    }

    /// This shape with `axes` removed, or set to 1 when `keepingDimensions`.
    private func reducedShape(_ axes: [Int], keepingDimensions: Bool) -> [Int] {
        shape.indices.compactMap { axis in
            guard axes.contains(axis) else { return shape[axis] }
            return keepingDimensions ? 1 : nil
        }
    }

    /// `(outer, length, inner)` of this shape around `axis`.
    private func blockSizes(around axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Reduces one axis at a time, innermost first, so that ties resolve to the row-major first
    /// element; each step is a recorded op.
    private func extremum(
        _ kind: Extremum, axes: [Int], keepingDimensions: Bool, op: String
    ) -> Tensor {
        let normalized = normalizedAxes(axes, op: op)
        var result = self
        for axis in normalized.reversed() {
            result = result.extremumKeepingAxis(kind, axis: axis, op: op)
        }
        return result.reshaped(reducedShape(normalized, keepingDimensions: keepingDimensions))
    }

    /// The untracked values and indices of the extremum along `axis`, which is kept as size 1.
    private func extremumResult(
        _ kind: Extremum, axis: Int, op: String
    ) -> (values: Tensor, indices: Tensor) {
        let (outer, length, inner) = blockSizes(around: axis)
        precondition(length > 0, "\(op): cannot reduce axis \(axis) of size 0 in shape \(shape)")
        var keptShape = shape
        keptShape[axis] = 1
        let values = Tensor(uninitializedShape: keptShape)
        let indices = Tensor(uninitializedShape: keptShape)
        if values.count > 0 {
            extremumAxis(
                kind, storage.pointer, values: values.storage.pointer,
                indices: indices.storage.pointer, outer: outer, length: length, inner: inner)
        }
        return (values, indices)
    }

    /// The extremum along `axis`, kept as size 1; the gradient goes to the chosen element.
    private func extremumKeepingAxis(_ kind: Extremum, axis: Int, op: String) -> Tensor {
        let (values, indices) = extremumResult(kind, axis: axis, op: op)
        let inputShape = shape
        let (outer, length, inner) = blockSizes(around: axis)
        return values.recorded(from: [self]) { g in
            let gradient = Tensor(uninitializedShape: inputShape)
            if gradient.count > 0 {
                scatterAlongAxis(
                    g.storage.pointer, indices: indices.storage.pointer,
                    gradient.storage.pointer, outer: outer, length: length, inner: inner)
            }
            return [gradient]
        }
    }

    /// The untracked indices of the extremum along one axis.
    private func argExtremum(
        _ kind: Extremum, axis: Int, keepingDimensions: Bool, op: String
    ) -> Tensor {
        let normalized = normalizedAxis(axis, rank: rank, op: op)
        let indices = extremumResult(kind, axis: normalized, op: op).indices
        return indices.reshapedStorage(
            reducedShape([normalized], keepingDimensions: keepingDimensions))
    }

    /// `log Σ exp` along `axis`, kept as size 1.
    private func logSumExpKeepingAxis(_ axis: Int) -> Tensor {
        let (outer, length, inner) = blockSizes(around: axis)
        var keptShape = shape
        keptShape[axis] = 1
        let value = Tensor(uninitializedShape: keptShape)
        if value.count > 0 {
            logSumExpAxis(
                storage.pointer, value.storage.pointer, outer: outer, length: length, inner: inner)
        }
        let x = detached()
        return value.recorded(from: [self]) { g in [g * (x - value).exp()] }
    }
}
