import SeqKernels

/// How a loss over many rows is reduced to its result.
public enum Reduction: Sendable {
    /// The average over the rows that count (for cross-entropy: the non-ignored rows).
    case mean
    /// The sum over all rows.
    case sum
    /// One loss per row, unreduced.
    case none
}

extension Tensor {
    /// Cross-entropy between these logits and class-index targets, fused and differentiable.
    ///
    /// Matches `torch.nn.functional.cross_entropy(logits, targets, ignore_index:,
    /// label_smoothing:, reduction:)`. With smoothing `ε` over `C` classes a row's loss is
    /// `(1 − ε) · (−log p[target]) + ε · mean_c(−log p[c])`, where `log p` is the log-softmax
    /// of the row, computed from a stable log-sum-exp in one kernel. Rows whose target equals
    /// `ignoreIndex` contribute 0, and `.mean` divides by the number of other rows (NaN when
    /// every row is ignored, as in PyTorch). The backward kernel reuses the saved log-sum-exp:
    /// `dlogits = scale · (softmax − (1 − ε) · onehot − ε / C)`.
    ///
    /// Shapes: logits `[..., C]` with `N` rows in the leading axes; `targets` has `N` ids.
    /// The result is a scalar for `.mean` and `.sum`, and has shape `[...]` for `.none`.
    ///
    /// - Parameters:
    ///   - targets: One class id in `0..<C` per row, or `ignoreIndex`.
    ///   - ignoreIndex: A target value that marks rows to skip (padding), or `nil`.
    ///   - labelSmoothing: `ε` in `0...1`.
    ///   - reduction: How per-row losses are combined.
    /// - Returns: The mean or summed loss as a scalar, or the per-row losses for `.none`.
    public func crossEntropy(
        targets: [Int32], ignoreIndex: Int32? = nil, labelSmoothing: Float = 0,
        reduction: Reduction = .mean
    ) -> Tensor {
        precondition(rank >= 1, "crossEntropy: logits need a class axis, got shape \(shape)")
        let classes = shape[rank - 1]
        let rowShape = Array(shape.dropLast())
        let rows = rowShape.reduce(1, *)
        precondition(
            targets.count == rows,
            "crossEntropy: \(targets.count) targets for logits of shape \(shape) (\(rows) rows)")
        precondition(
            (0...1).contains(labelSmoothing),
            "crossEntropy: labelSmoothing \(labelSmoothing) is outside 0...1")
        for (row, target) in targets.enumerated() where target != ignoreIndex {
            precondition(
                target >= 0 && Int(target) < classes,
                "crossEntropy: target \(target) at row \(row) is out of range 0..<\(classes) for logits of shape \(shape)"
            )
        }

        let losses = Tensor(uninitializedShape: rowShape)
        let logSumExp = Tensor(uninitializedShape: [rows])
        targets.withUnsafeBufferPointer { ids in
            guard let ids = ids.baseAddress, rows > 0 else { return }
            crossEntropyRows(
                storage.pointer, targets: ids, losses: losses.storage.pointer,
                logSumExp: logSumExp.storage.pointer, rows: rows, classes: classes,
                ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing)
        }
        let counted = targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
        let total = sumContiguous(losses.storage.pointer, count: rows)  // fixed order
        let value: Tensor
        switch reduction {
        case .none: value = losses
        case .sum: value = Tensor(total)
        case .mean: value = Tensor(total / Float(counted))
        }

        let logits = detached()
        return value.recorded(from: [self]) { g in
            // The upstream gradient per row: itself for `.none`, one shared value otherwise.
            let scales = reduction == .mean ? Tensor(g.scalar / Float(counted)) : g
            let inputGradient = Tensor(uninitializedShape: logits.shape)
            targets.withUnsafeBufferPointer { ids in
                guard let ids = ids.baseAddress, rows > 0 else { return }
                crossEntropyRowsBackward(
                    logits.storage.pointer, targets: ids, logSumExp: logSumExp.storage.pointer,
                    scales: scales.storage.pointer, scaleStride: reduction == .none ? 1 : 0,
                    inputGradient: inputGradient.storage.pointer, rows: rows, classes: classes,
                    ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing)
            }
            return [inputGradient]
        }
    }
}
