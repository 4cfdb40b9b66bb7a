import SeqKernels

extension Tensor {
    /// Picks elements along `axis` by index, as `torch.gather`:
    /// `out[i][j][k] = self[indices[i][j][k]][j][k]` for `axis == 0`, and so on.
    ///
    /// `indices` holds integer values stored as `Float`, has this tensor's rank and is no
    /// larger on the other axes; the result has `indices`' shape. For a `[B, V]` score matrix
    /// and `[B, 1]` targets, `gather(axis: 1, indices: targets)` is `[B, 1]`. Differentiable
    /// with respect to `self` (the gradient is scatter-added back); `indices` gets none.
    public func gather(axis: Int, indices: Tensor) -> Tensor {
        let along = normalizedAxis(axis, rank: rank, op: "gather")
        checkIndexShape(indices.shape, along: along, op: "gather")
        let index = integerIndices(indices, along: along, op: "gather")
        let result = gatherResult(self, along: along, index: index, indexShape: indices.shape)
        let (inputShape, indexShape) = (shape, indices.shape)
        return result.recorded(from: [self]) { g in
            [
                scatterAdding(
                    g, along: along, index: index, indexShape: indexShape,
                    into: .zeros(inputShape))
            ]
        }
    }

    /// Adds `source` into a copy of this tensor at the positions `indices` name along `axis`,
    /// as `torch.Tensor.scatter_add` (out of place):
    /// `out[indices[i][j][k]][j][k] += source[i][j][k]` for `axis == 0`, and so on.
    ///
    /// `indices` (integer values stored as `Float`) has this tensor's rank, is no larger than
    /// `source` on any axis and no larger than this tensor on any axis but `axis`; only the
    /// part of `source` that `indices` covers is used. Repeated indices accumulate.
    /// Differentiable with respect to `self` and `source`; `indices` gets no gradient.
    public func scatterAdd(axis: Int, indices: Tensor, source: Tensor) -> Tensor {
        let along = normalizedAxis(axis, rank: rank, op: "scatterAdd")
        checkIndexShape(indices.shape, along: along, op: "scatterAdd")
        precondition(
            source.rank == rank && zip(indices.shape, source.shape).allSatisfy { $0 <= $1 },
            "scatterAdd: indices \(indices.shape) do not fit in source \(source.shape)")
        let index = integerIndices(indices, along: along, op: "scatterAdd")
        let copy = Tensor(uninitializedShape: shape)
        copy.storage.pointer.update(from: storage.pointer, count: count)
        let result = scatterAdding(
            source, along: along, index: index, indexShape: indices.shape, into: copy)
        let (indexShape, sourceShape) = (indices.shape, source.shape)
        let (selfTracked, sourceTracked) = (isTracked, source.isTracked)
        return result.recorded(from: [self, source]) { g in
            var sourceGradient: Tensor? = nil
            if sourceTracked {
                let picked = gatherResult(g, along: along, index: index, indexShape: indexShape)
                sourceGradient = picked.padded(zip(indexShape, sourceShape).map { (0, $1 - $0) })
            }
            return [selfTracked ? g : nil, sourceGradient]
        }
    }

    /// The slices at positions `indices` along `axis`, in that order, as `torch.index_select`.
    ///
    /// `[B, T, D].indexSelect(axis: 1, indices: [4, 0, 4])` is `[B, 3, D]`. Differentiable
    /// with respect to `self`: the gradient is added back along `axis`, so repeated indices
    /// accumulate.
    public func indexSelect(axis: Int, indices: [Int32]) -> Tensor {
        let along = normalizedAxis(axis, rank: rank, op: "indexSelect")
        for (position, index) in indices.enumerated() {
            precondition(
                index >= 0 && Int(index) < shape[along],
                "indexSelect: index \(index) at position \(position) is out of range for axis \(axis) of shape \(shape)"
            )
        }
        var resultShape = shape
        resultShape[along] = indices.count
        return selectedRows(
            outer: shape[..<along].reduce(1, *), axisLength: shape[along],
            inner: shape[(along + 1)...].reduce(1, *), indices: indices, resultShape: resultShape)
    }

    /// The rows of this `[vocabularySize, dimension]` weight picked by `ids`, shaped
    /// `shape + [dimension]`.
    ///
    /// `ids` lists `shape`'s elements in row-major order: for `[B, T]` token ids, the result is
    /// `[B, T, dimension]`. Every id must lie in `0..<vocabularySize`. Differentiable with
    /// respect to the weight; repeated ids accumulate their gradients.
    public func embeddingLookup(ids: [Int32], shape: [Int]) -> Tensor {
        precondition(
            rank == 2,
            "embeddingLookup: weight must be [vocabularySize, dimension], got \(self.shape)")
        precondition(
            shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == ids.count,
            "embeddingLookup: shape \(shape) holds \(shape.reduce(1, *)) ids, got \(ids.count)")
        let (vocabularySize, dimension) = (self.shape[0], self.shape[1])
        for (position, id) in ids.enumerated() {
            precondition(
                id >= 0 && Int(id) < vocabularySize,
                "embeddingLookup: id \(id) at position \(position) is out of range for vocabulary size \(vocabularySize)"
            )
        }
        return selectedRows(
            outer: 1, axisLength: vocabularySize, inner: dimension, indices: ids,
            resultShape: shape + [dimension])
    }

    /// `index_select` over the `[outer, axisLength, inner]` view of this tensor, recorded;
    /// `indices` are already checked and `resultShape` holds `outer · count · inner` elements.
    private func selectedRows(
        outer: Int, axisLength: Int, inner: Int, indices: [Int32], resultShape: [Int]
    ) -> Tensor {
        let result = Tensor(uninitializedShape: resultShape)
        indices.withUnsafeBufferPointer { index in
            guard let base = index.baseAddress else { return }
            indexSelectCopy(
                storage.pointer, outer: outer, axisLength: axisLength, inner: inner,
                indices: base, indexCount: indices.count, result.storage.pointer)
        }
        let inputShape = shape
        return result.recorded(from: [self]) { g in
            let gradient = Tensor.zeros(inputShape)
            indices.withUnsafeBufferPointer { index in
                guard let base = index.baseAddress else { return }
                indexAddAccumulate(
                    g.storage.pointer, outer: outer, indexCount: indices.count, inner: inner,
                    indices: base, into: gradient.storage.pointer, axisLength: axisLength)
            }
            return [gradient]
        }
    }

    /// Traps unless `indexShape` has this tensor's rank and fits it on every axis but `along`.
    private func checkIndexShape(_ indexShape: [Int], along: Int, op: String) {
        precondition(
            indexShape.count == rank
                && indexShape.indices.allSatisfy { $0 == along || indexShape[$0] <= shape[$0] },
            "\(op): indices \(indexShape) do not fit \(shape) outside axis \(along)")
    }

    /// The values of `indices` as `Int32`; traps, naming `op`, on a non-integer or an index
    /// outside `0..<shape[along]`.
    private func integerIndices(_ indices: Tensor, along: Int, op: String) -> [Int32] {
        let bound = shape[along]
        return indices.withUnsafeBufferPointer { values in
            values.enumerated().map { position, value in
                precondition(
                    value.rounded() == value && value >= 0 && value < Float(bound),
                    "\(op): index \(value) at position \(position) is out of range for axis \(along) of shape \(shape)"
                )
                return Int32(value)
            }
        }
    }
}

/// Untracked `torch.gather` of `x` along `along` by checked `index` of `indexShape`.
private func gatherResult(_ x: Tensor, along: Int, index: [Int32], indexShape: [Int]) -> Tensor {
    let result = Tensor(uninitializedShape: indexShape)
    index.withUnsafeBufferPointer { indices in
        guard let base = indices.baseAddress else { return }
        gatherAlongAxis(
            x.storage.pointer, shape: x.shape, axis: along, indices: base, indexShape: indexShape,
            result.storage.pointer)
    }
    return result
}

/// `result`, a fresh untracked tensor this function may write, with `source` scatter-added
/// along `along` at the checked `index`.
private func scatterAdding(
    _ source: Tensor, along: Int, index: [Int32], indexShape: [Int], into result: Tensor
) -> Tensor {
    index.withUnsafeBufferPointer { indices in
        guard let pointer = indices.baseAddress else { return }
        scatterAddAlongAxis(
            source.storage.pointer, sourceShape: source.shape, axis: along, indices: pointer,
            indexShape: indexShape, into: result.storage.pointer, shape: result.shape)
    }
    return result
}
