import SeqKernels

extension Tensor {
    /// Inverted dropout: zeroes each element with probability `probability` and scales the
    /// kept ones by `1 / (1 − probability)`, so the expected value is unchanged.
    ///
    /// The mask is drawn from `generator`, one draw per element in row-major order, so the same
    /// generator state gives the same mask. `probability == 0` returns `self` unchanged and
    /// draws nothing; `probability == 1` returns zeros. Differentiable: the backward pass
    /// multiplies the output gradient by the saved mask. Callers apply it only in training.
    ///
    /// - Parameters:
    ///   - probability: The chance that an element is dropped, in `0...1`.
    ///   - generator: The source of the mask; advanced by `count` draws.
    /// - Returns: The masked and rescaled tensor, shaped like `self`.
    public func dropout(probability: Float, using generator: inout SeededGenerator) -> Tensor {
        precondition(
            (0...1).contains(probability),
            "dropout: probability \(probability) is outside 0...1 for input \(shape)")
        if probability == 0 { return self }
        let keep = 1 - probability
        let scale = keep > 0 ? 1 / keep : 0
        let mask = Tensor(uninitializedShape: shape)
        let maskPointer = mask.storage.pointer
        for i in 0..<count {
            maskPointer[i] = generator.nextUnitFloat() < keep ? scale : 0
        }
        let value = binaryResult(.multiply, detached(), mask, name: "dropout")
        return value.recorded(from: [self]) { g in
            [binaryResult(.multiply, g, mask, name: "dropout")]
        }
    }
}
