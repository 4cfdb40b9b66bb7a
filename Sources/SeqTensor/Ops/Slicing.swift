import SeqKernels

extension Tensor {
    /// This tensor without the size-1 axis `axis`; shares storage (a view through `reshaped`).
    ///
    /// `[B, 1, D].squeezed(axis: 1)` is `[B, D]`. Negative axes count from the end.
    public func squeezed(axis: Int) -> Tensor {
        let removed = normalizedAxis(axis, rank: rank, op: "squeezed")
        precondition(
            shape[removed] == 1,
            "squeezed: axis \(axis) of shape \(shape) has size \(shape[removed]), not 1")
        var newShape = shape
        newShape.remove(at: removed)
        return reshaped(newShape)
    }

    /// This tensor with a new size-1 axis at position `axis` of the result; shares storage.
    ///
    /// `axis` ranges over `-(rank + 1)...rank`, as in `torch.unsqueeze`: `[B, D].unsqueezed(axis:
    /// 1)` is `[B, 1, D]` and `unsqueezed(axis: -1)` is `[B, D, 1]`.
    public func unsqueezed(axis: Int) -> Tensor {
        let inserted = normalizedAxis(axis, rank: rank + 1, op: "unsqueezed")
        var newShape = shape
        newShape.insert(1, at: inserted)
        return reshaped(newShape)
    }

    /// The elements at positions `range` along `axis`, copied contiguously.
    ///
    /// `[B, T, D].sliced(axis: 1, 2..<5)` is `[B, 3, D]`. The backward pads the gradient with
    /// zeros back to this tensor's shape.
    public func sliced(axis: Int, _ range: Range<Int>) -> Tensor {
        let along = normalizedAxis(axis, rank: rank, op: "sliced")
        precondition(
            range.lowerBound >= 0 && range.upperBound <= shape[along],
            "sliced: range \(range) is out of bounds for axis \(axis) of shape \(shape)")
        if range.count == shape[along] { return self }
        let (outer, length, inner) = axisView(shape, along)
        var resultShape = shape
        resultShape[along] = range.count
        let result = Tensor(uninitializedShape: resultShape)
        blockCopy(
            storage.pointer + range.lowerBound * inner, sourceStride: length * inner,
            result.storage.pointer, destinationStride: range.count * inner, blockCount: outer,
            blockLength: range.count * inner)
        var before = [Int](repeating: 0, count: rank)
        var after = before
        before[along] = range.lowerBound
        after[along] = length - range.upperBound
        return result.recorded(from: [self]) { g in [padResult(g, before: before, after: after)] }
    }

    /// Consecutive pieces along `axis` with the given lengths, which must add up to the axis.
    ///
    /// `[B, 10].split(sizes: [3, 7], axis: 1)` is `[B, 3]` and `[B, 7]`. Each piece is a
    /// `sliced` copy, so each is differentiable on its own.
    public func split(sizes: [Int], axis: Int) -> [Tensor] {
        let along = normalizedAxis(axis, rank: rank, op: "split")
        precondition(
            sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[along],
            "split: sizes \(sizes) do not add up to \(shape[along]), axis \(axis) of shape \(shape)"
        )
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return sliced(axis: along, start..<(start + size))
        }
    }

    /// `count` equal consecutive pieces along `axis`, whose length `count` must divide.
    ///
    /// `[B, 12].split(count: 3, axis: 1)` is three `[B, 4]` tensors.
    public func split(count: Int, axis: Int) -> [Tensor] {
        let along = normalizedAxis(axis, rank: rank, op: "split")
        precondition(
            count > 0 && shape[along] % count == 0,
            "split: axis \(axis) of shape \(shape) (length \(shape[along])) does not split into \(count) equal parts"
        )
        return split(
            sizes: [Int](repeating: shape[along] / count, count: count), axis: along)
    }

    /// This tensor with `value` added around it: `padding[i]` elements before and after.
    ///
    /// The pairs apply to the **trailing** axes in order, and missing leading axes get no
    /// padding: on a `[B, T, D]` tensor, `[(1, 2)]` pads only `D` to `D + 3`, and
    /// `[(0, 1), (2, 0)]` pads `T` to `T + 1` (one after) and `D` to `D + 2` (two before).
    /// Unlike `torch.nn.functional.pad`, the pairs are listed outermost first, like the shape.
    /// The backward crops the gradient back to this tensor's shape.
    public func padded(_ padding: [(before: Int, after: Int)], value: Float = 0) -> Tensor {
        precondition(
            padding.count <= rank,
            "padded: \(padding.count) padding pairs \(listed(padding)) for shape \(shape) of rank \(rank)"
        )
        precondition(
            padding.allSatisfy { $0.before >= 0 && $0.after >= 0 },
            "padded: negative padding \(listed(padding)) for shape \(shape)")
        let unpadded = [Int](repeating: 0, count: rank - padding.count)
        let before = unpadded + padding.map(\.before)
        let after = unpadded + padding.map(\.after)
        if before.allSatisfy({ $0 == 0 }) && after.allSatisfy({ $0 == 0 }) { return self }
        let inputShape = shape
        return padResult(self, before: before, after: after, value: value)
            .recorded(from: [self]) { g in
                let cropped = Tensor(uninitializedShape: inputShape)
                cropCopy(
                    g.storage.pointer, cropped.storage.pointer, shape: g.shape, start: before,
                    outputShape: inputShape)
                return [cropped]
            }
    }
}

/// The tensors joined end to end along `axis`; they must agree on every other axis.
///
/// `concatenate([[B, 2, D], [B, 5, D]], axis: 1)` is `[B, 7, D]`. Differentiable with respect
/// to every input: each gets its own slice of the output gradient.
public func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
    precondition(!tensors.isEmpty, "concatenate: needs at least one tensor")
    let first = tensors[0]
    let along = normalizedAxis(axis, rank: first.rank, op: "concatenate")
    precondition(
        tensors.allSatisfy { tensor in
            tensor.rank == first.rank
                && tensor.shape.indices.allSatisfy {
                    $0 == along || tensor.shape[$0] == first.shape[$0]
                }
        },
        "concatenate: shapes \(tensors.map(\.shape)) differ outside axis \(axis)")
    if tensors.count == 1 { return first }
    var shape = first.shape
    shape[along] = tensors.reduce(0) { $0 + $1.shape[along] }
    let (outer, total, inner) = axisView(shape, along)
    let result = Tensor(uninitializedShape: shape)
    var ranges: [Range<Int>] = []
    for tensor in tensors {
        let start = ranges.last?.upperBound ?? 0
        let length = tensor.shape[along]
        blockCopy(
            tensor.storage.pointer, sourceStride: length * inner,
            result.storage.pointer + start * inner, destinationStride: total * inner,
            blockCount: outer, blockLength: length * inner)
        ranges.append(start..<(start + length))
    }
    let tracked = tensors.map(\.isTracked)
    return result.recorded(from: tensors) { g in
        zip(ranges, tracked).map { range, isTracked in
            isTracked ? g.sliced(axis: along, range) : nil
        }
    }
}

/// The tensors, which must share one shape, stacked along a new axis at position `axis`.
///
/// `stack` of `n` tensors `[B, D]` along axis 1 is `[B, n, D]`; `axis` ranges over
/// `-(rank + 1)...rank`. Differentiable with respect to every input.
public func stack(_ tensors: [Tensor], axis: Int) -> Tensor {
    precondition(!tensors.isEmpty, "stack: needs at least one tensor")
    let shape = tensors[0].shape
    precondition(
        tensors.allSatisfy { $0.shape == shape }, "stack: shapes \(tensors.map(\.shape)) differ")
    let along = normalizedAxis(axis, rank: shape.count + 1, op: "stack")
    return concatenate(tensors.map { $0.unsqueezed(axis: along) }, axis: along)
}

/// `padding` written as `[(before, after), …]` for messages.
private func listed(_ padding: [(before: Int, after: Int)]) -> String {
    "[" + padding.map { "(\($0.before), \($0.after))" }.joined(separator: ", ") + "]"
}

/// `shape` seen as `[outer, shape[axis], inner]`.
private func axisView(_ shape: [Int], _ axis: Int) -> (outer: Int, length: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
}

/// Untracked copy of `x` with `before[i]` and `after[i]` elements of `value` around axis `i`.
private func padResult(_ x: Tensor, before: [Int], after: [Int], value: Float = 0) -> Tensor {
    let result = Tensor(
        uninitializedShape: x.shape.indices.map { before[$0] + x.shape[$0] + after[$0] })
    padCopy(
        x.storage.pointer, result.storage.pointer, shape: x.shape, before: before, after: after,
        value: value)
    return result
}
