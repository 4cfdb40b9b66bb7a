import SeqKernels

extension Tensor {
    /// Softmax along `axis`: `exp(x − max) / Σ exp(x − max)`, fused and differentiable.
    ///
    /// Shapes: output shape equals input shape; every slice along `axis` sums to 1. The
    /// maximum is subtracted first, so large logits do not overflow. The last axis runs one
    /// SIMD kernel per row; other axes run a strided kernel over `[outer, length, inner]`
    /// without transposing. The backward pass reuses the saved output:
    /// `dx = y · (g − Σ g · y)`.
    ///
    /// - Parameter axis: The axis to normalise; negative values count from the end.
    /// - Returns: The probabilities, shaped like `self`.
    public func softmax(axis: Int = -1) -> Tensor {
        fusedSoftmax(axis: axis, logarithmic: false, op: "softmax")
    }

    /// Log-softmax along `axis`: `x − max − log Σ exp(x − max)`, fused and differentiable.
    ///
    /// Numerically stable where `softmax(axis:).log()` is not: very negative logits give
    /// large negative values, never `-∞`. The backward pass reuses the saved output:
    /// `dx = g − exp(y) · Σ g`.
    ///
    /// - Parameter axis: The axis to normalise; negative values count from the end.
    /// - Returns: The log-probabilities, shaped like `self`.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        fusedSoftmax(axis: axis, logarithmic: true, op: "logSoftmax")
    }

    /// The shared forward and backward of `softmax` and `logSoftmax`.
    private func fusedSoftmax(axis: Int, logarithmic: Bool, op: String) -> Tensor {
        let normalized = normalizedAxis(axis, rank: rank, op: op)
        let outer = shape[..<normalized].reduce(1, *)
        let length = shape[normalized]
        let inner = shape[(normalized + 1)...].reduce(1, *)
        let output = Tensor(uninitializedShape: shape)
        if count > 0 {
            if inner == 1 {
                let kernel = logarithmic ? logSoftmaxRows : softmaxRows
                kernel(storage.pointer, output.storage.pointer, outer, length)
            } else {
                softmaxAxis(
                    storage.pointer, output.storage.pointer, outer: outer, length: length,
                    inner: inner, logarithmic: logarithmic)
            }
        }
        return output.recorded(from: [self]) { g in
            let inputGradient = Tensor(uninitializedShape: output.shape)
            guard output.count > 0 else { return [inputGradient] }
            if inner == 1 {
                let kernel = logarithmic ? logSoftmaxRowsBackward : softmaxRowsBackward
                kernel(
                    output.storage.pointer, g.storage.pointer, inputGradient.storage.pointer,
                    outer, length)
            } else {
                softmaxAxisBackward(
                    output: output.storage.pointer, outputGradient: g.storage.pointer,
                    inputGradient: inputGradient.storage.pointer, outer: outer, length: length,
                    inner: inner, logarithmic: logarithmic)
            }
            return [inputGradient]
        }
    }
}
