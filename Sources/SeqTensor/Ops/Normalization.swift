import SeqKernels

extension Tensor {
    /// Layer normalisation over the last axis, fused and differentiable.
    ///
    /// `y = (x − mean) / √(var + ε) · weight + bias` (Ba, Kiros and Hinton, 2016), with the
    /// mean and the biased variance taken over the last axis, as
    /// `torch.nn.functional.layer_norm(x, [D], weight, bias, eps)`.
    /// The forward kernel saves each row's mean and `1 / √(var + ε)`; one backward kernel
    /// reuses them to produce the input, weight and bias gradients together.
    ///
    /// Shapes: input `[..., D]`; `weight` and `bias` `[D]`; output `[..., D]`.
    ///
    /// - Parameters:
    ///   - weight: Per-feature scale, or `nil` for none.
    ///   - bias: Per-feature shift, or `nil` for none.
    ///   - epsilon: Added to the variance before the square root.
    /// - Returns: The normalised tensor, shaped like `self`.
    public func layerNormalized(weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5) -> Tensor {
        let width = normalizationWidth(weight: weight, bias: bias, op: "layerNormalized")
        let rows = width == 0 ? 0 : count / width
        let output = Tensor(uninitializedShape: shape)
        let mean = Tensor(uninitializedShape: [rows])
        let inverseStd = Tensor(uninitializedShape: [rows])
        if count > 0 {
            layerNormRows(
                storage.pointer, weight: weight?.storage.pointer, bias: bias?.storage.pointer,
                output.storage.pointer, mean: mean.storage.pointer,
                inverseStd: inverseStd.storage.pointer, rows: rows, width: width,
                epsilon: epsilon)
        }
        let (x, savedWeight) = (detached(), weight?.detached())
        let (needsInput, needsWeight, needsBias) =
            (isTracked, weight?.isTracked ?? false, bias?.isTracked ?? false)
        let (hasWeight, hasBias) = (weight != nil, bias != nil)
        let inputs = [self] + [weight, bias].compactMap { $0 }
        return output.recorded(from: inputs) { g in
            let inputGradient = needsInput ? Tensor(uninitializedShape: x.shape) : nil
            let weightGradient = needsWeight ? Tensor(uninitializedShape: [width]) : nil
            let biasGradient = needsBias ? Tensor(uninitializedShape: [width]) : nil
            layerNormRowsBackward(
                outputGradient: g.storage.pointer, x.storage.pointer,
                weight: savedWeight?.storage.pointer, mean: mean.storage.pointer,
                inverseStd: inverseStd.storage.pointer,
                inputGradient: inputGradient?.storage.pointer,
                weightGradient: weightGradient?.storage.pointer,
                biasGradient: biasGradient?.storage.pointer, rows: rows, width: width)
            var gradients = [inputGradient]
            if hasWeight { gradients.append(weightGradient) }
            if hasBias { gradients.append(biasGradient) }
            return gradients
        }
    }

    /// RMS normalisation over the last axis, fused and differentiable.
    ///
    /// `y = x / √(mean(x²) + ε) · weight` (Zhang and Sennrich, 2019), as in T5 and LLaMA and
    /// `torch.nn.functional.rms_norm(x, [D], weight, eps)`; no mean is subtracted and there is
    /// no bias. The forward kernel saves each row's `1 / √(mean(x²) + ε)`, which the fused
    /// backward kernel reuses for the input and weight gradients.
    ///
    /// Shapes: input `[..., D]`; `weight` `[D]`; output `[..., D]`.
    ///
    /// - Parameters:
    ///   - weight: Per-feature scale, or `nil` for none.
    ///   - epsilon: Added to the mean square before the square root.
    /// - Returns: The normalised tensor, shaped like `self`.
    public func rmsNormalized(weight: Tensor?, epsilon: Float = 1e-6) -> Tensor {
        let width = normalizationWidth(weight: weight, bias: nil, op: "rmsNormalized")
        let rows = width == 0 ? 0 : count / width
        let output = Tensor(uninitializedShape: shape)
        let inverseRMS = Tensor(uninitializedShape: [rows])
        if count > 0 {
            rmsNormRows(
                storage.pointer, weight: weight?.storage.pointer, output.storage.pointer,
                inverseRMS: inverseRMS.storage.pointer, rows: rows, width: width,
                epsilon: epsilon)
        }
        let (x, savedWeight) = (detached(), weight?.detached())
        let (needsInput, needsWeight) = (isTracked, weight?.isTracked ?? false)
        let hasWeight = weight != nil
        let inputs = [self] + [weight].compactMap { $0 }
        return output.recorded(from: inputs) { g in
            let inputGradient = needsInput ? Tensor(uninitializedShape: x.shape) : nil
            let weightGradient = needsWeight ? Tensor(uninitializedShape: [width]) : nil
            rmsNormRowsBackward(
                outputGradient: g.storage.pointer, x.storage.pointer,
                weight: savedWeight?.storage.pointer, inverseRMS: inverseRMS.storage.pointer,
                inputGradient: inputGradient?.storage.pointer,
                weightGradient: weightGradient?.storage.pointer, rows: rows, width: width)
            return hasWeight ? [inputGradient, weightGradient] : [inputGradient]
        }
    }

    /// The size of the normalised last axis, after checking that `weight` and `bias` match it.
    private func normalizationWidth(weight: Tensor?, bias: Tensor?, op: String) -> Int {
        precondition(rank >= 1, "\(op): input needs at least one axis, got shape \(shape)")
        let width = shape[rank - 1]
        for (name, parameter) in [("weight", weight), ("bias", bias)] {
            guard let parameter else { continue }
            precondition(
                parameter.shape == [width],
                "\(op): \(name) has shape \(parameter.shape), expected [\(width)] for input \(shape)"
            )
        }
        return width
    }
}
