import SeqKernels

extension Tensor {
    /// The same elements in a new shape, without copying.
    ///
    /// One axis may be `-1`; it is inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let inferred = inferredShape(newShape)
        let inputShape = shape
        return reshapedStorage(inferred).recorded(from: [self]) { g in [g.reshaped(inputShape)] }
    }

    /// The same storage under another shape with the same element count, untracked.
    package func reshapedStorage(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }

    /// Resolves a `-1` in `newShape` and checks the element count.
    private func inferredShape(_ newShape: [Int]) -> [Int] {
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        precondition(unknown.count <= 1, "reshaped: more than one -1 in \(newShape)")
        var result = newShape
        if let axis = unknown.first {
            let known = newShape.enumerated().reduce(1) { $1.offset == axis ? $0 : $0 * $1.element }
            precondition(
                known > 0 && count % known == 0,
                "reshaped: cannot reshape \(shape) into \(newShape)")
            result[axis] = count / known
        }
        precondition(
            result.reduce(1, *) == count, "reshaped: cannot reshape \(shape) into \(newShape)")
        return result
    }

    /// This tensor broadcast to `target` (NumPy rules), materialised contiguously.
    ///
    /// The backward is the tape's central reduction, so the gradient is passed through.
    public func expanded(to target: [Int]) -> Tensor {
        if target == shape { return self }
        precondition(
            broadcastShape(shape, target, op: "expanded(to:)") == target,
            "expanded(to:): shape \(shape) cannot be expanded to \(target)")
        return broadcastCopy(to: target).recorded(from: [self]) { g in [g] }
    }

    /// Untracked contiguous copy of this tensor read with broadcast strides as `target`.
    private func broadcastCopy(to target: [Int]) -> Tensor {
        let result = Tensor(uninitializedShape: target)
        guard result.count > 0 else { return result }
        let layout = BroadcastLayout(
            shape: target, leftStrides: broadcastStrides(of: shape, to: target),
            rightStrides: [Int](repeating: 0, count: target.count))
        let zero: Float = 0
        withUnsafePointer(to: zero) { zeroPointer in
            binaryBroadcast(
                .add, storage.pointer, zeroPointer, result.storage.pointer, layout: layout)
        }
        return result
    }
}
