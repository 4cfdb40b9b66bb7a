import SeqKernels

/// What one direction of a recurrent layer returns for a padded batch.
public struct RecurrentSequenceResult: Sendable {
    /// The hidden state after every step, `[batch, steps, hidden]`; zero past each length.
    public var output: Tensor
    /// The hidden state after each sequence's last real step, `[batch, hidden]`.
    public var hidden: Tensor
    /// The LSTM cell state after each sequence's last real step, `[batch, hidden]`; `nil` for
    /// a GRU.
    public var cell: Tensor?
}

extension Tensor {
    /// One LSTM layer direction over this padded batch `[batch, steps, inputSize]`, fused.
    ///
    /// Computes the input projection for every step in one GEMM, then per step one GEMM for
    /// all four gates and one SIMD pass for the gate math; the backward pass runs through time
    /// the same way and ends with one GEMM per weight gradient. The gates are PyTorch's
    /// `[i, f, g, o]`; see `LSTMCell` for the equations.
    ///
    /// Sequence `b` runs for `lengths[b]` steps: its output is zero past its length, its final
    /// states are taken at its last real step, and with `reverse` it starts from that step
    /// and runs back to 0, as PyTorch's packed sequences do. Padding never changes a result.
    ///
    /// - Parameters:
    ///   - initialHidden: `h₀`, `[batch, hidden]`.
    ///   - initialCell: `c₀`, `[batch, hidden]`.
    ///   - inputWeight: `W_ih`, `[4 · hidden, inputSize]`.
    ///   - recurrentWeight: `W_hh`, `[4 · hidden, hidden]`.
    ///   - bias: `b_ih + b_hh`, `[4 · hidden]`, or `nil`.
    ///   - lengths: One length per sequence, each in `0...steps`; `nil` for all `steps`.
    ///   - reverse: Whether to run from each sequence's end to its start.
    /// - Returns: The output and both final states.
    public func lstmSequence(
        initialHidden: Tensor, initialCell: Tensor, inputWeight: Tensor, recurrentWeight: Tensor,
        bias: Tensor?, lengths: [Int]? = nil, reverse: Bool = false
    ) -> RecurrentSequenceResult {
        let shape = recurrentShape(
            "lstmSequence", gateCount: 4, initialHidden: initialHidden, inputWeight: inputWeight,
            recurrentWeight: recurrentWeight, biases: [bias])
        precondition(
            initialCell.shape == initialHidden.shape,
            "lstmSequence: initial cell \(initialCell.shape) differs from hidden \(initialHidden.shape)"
        )
        let lengths = validatedLengths(lengths, "lstmSequence", shape: shape)
        let (b, t, h) = (shape.batch, shape.steps, shape.hidden)
        let (x, w, u, c0) = (
            detached(), inputWeight.detached(), recurrentWeight.detached(), initialCell.detached()
        )
        let gates = Tensor(uninitializedShape: [b, t, 4 * h])
        let savedHidden = Tensor(uninitializedShape: [b, t, h])
        let savedCell = Tensor(uninitializedShape: [b, t, h])
        // Output, final hidden and final cell in one buffer: one op, three differentiable views.
        let packed = Tensor(uninitializedShape: [b * (t + 2) * h])
        lstmSequenceForward(
            input: x.storage.pointer,
            weights: RecurrentWeights(
                input: w.storage.pointer, recurrent: u.storage.pointer, inputSize: x.shape[2]),
            bias: bias?.storage.pointer,
            initialHidden: initialHidden.storage.pointer, initialCell: c0.storage.pointer,
            gates: gates.storage.pointer, savedHidden: savedHidden.storage.pointer,
            savedCell: savedCell.storage.pointer, output: packed.storage.pointer,
            finalHidden: packed.storage.pointer + b * t * h,
            finalCell: packed.storage.pointer + b * (t + 1) * h, lengths: lengths,
            reverse: reverse, shape: shape)
        let tracked = [isTracked, inputWeight.isTracked, recurrentWeight.isTracked]
        let hasBias = bias != nil
        let inputs =
            [self, initialHidden, initialCell, inputWeight, recurrentWeight]
            + [bias].compactMap { $0 }
        let result = packed.recorded(from: inputs) { g in
            // `gates` is this op's private buffer; back-propagation runs once and overwrites it.
            let dx = tracked[0] ? Tensor(uninitializedShape: x.shape) : nil
            let dw = tracked[1] ? Tensor(uninitializedShape: w.shape) : nil
            let du = tracked[2] ? Tensor(uninitializedShape: u.shape) : nil
            let dh0 = Tensor(uninitializedShape: [b, h])
            let dc0 = Tensor(uninitializedShape: [b, h])
            let upstream = g.storage.pointer
            let weights = RecurrentWeights(
                input: w.storage.pointer, recurrent: u.storage.pointer, inputSize: x.shape[2])
            lstmSequenceBackward(
                input: x.storage.pointer, weights: weights, gates: gates.storage.pointer,
                savedHidden: savedHidden.storage.pointer, savedCell: savedCell.storage.pointer,
                initialCell: c0.storage.pointer, outputGradient: upstream,
                finalHiddenGradient: upstream + b * t * h,
                finalCellGradient: upstream + b * (t + 1) * h,
                initialHiddenGradient: dh0.storage.pointer,
                initialCellGradient: dc0.storage.pointer,
                inputWeightGradient: dw?.storage.pointer,
                recurrentWeightGradient: du?.storage.pointer,
                inputGradient: dx?.storage.pointer, lengths: lengths, reverse: reverse,
                shape: shape)
            guard hasBias else { return [dx, dh0, dc0, dw, du] }
            return [dx, dh0, dc0, dw, du, gates.reshapedStorage([b * t, 4 * h]).sum(axes: [0])]
        }
        return RecurrentSequenceResult(
            output: result.sliced(axis: 0, 0..<(b * t * h)).reshaped([b, t, h]),
            hidden: result.sliced(axis: 0, (b * t * h)..<(b * (t + 1) * h)).reshaped([b, h]),
            cell: result.sliced(axis: 0, (b * (t + 1) * h)..<(b * (t + 2) * h)).reshaped([b, h]))
    }

    /// One GRU layer direction over this padded batch `[batch, steps, inputSize]`, fused.
    ///
    /// Runs like `lstmSequence` with PyTorch's GRU gates `[r, z, n]` (see `GRUCell`): the input
    /// projection for every step in one GEMM, per step one GEMM and one SIMD pass, and
    /// backward through time the same way. Lengths and `reverse` behave as in `lstmSequence`.
    ///
    /// - Parameters:
    ///   - initialHidden: `h₀`, `[batch, hidden]`.
    ///   - inputWeight: `W_ih`, `[3 · hidden, inputSize]`.
    ///   - recurrentWeight: `W_hh`, `[3 · hidden, hidden]`.
    ///   - inputBias: `b_ih`, `[3 · hidden]`, or `nil`.
    ///   - recurrentBias: `b_hh`, `[3 · hidden]`, or `nil`.
    ///   - lengths: One length per sequence, each in `0...steps`; `nil` for all `steps`.
    ///   - reverse: Whether to run from each sequence's end to its start.
    /// - Returns: The output and the final hidden state (`cell` is `nil`).
    public func gruSequence(
        initialHidden: Tensor, inputWeight: Tensor, recurrentWeight: Tensor, inputBias: Tensor?,
        recurrentBias: Tensor?, lengths: [Int]? = nil, reverse: Bool = false
    ) -> RecurrentSequenceResult {
        let shape = recurrentShape(
            "gruSequence", gateCount: 3, initialHidden: initialHidden, inputWeight: inputWeight,
            recurrentWeight: recurrentWeight, biases: [inputBias, recurrentBias])
        let lengths = validatedLengths(lengths, "gruSequence", shape: shape)
        let (b, t, h) = (shape.batch, shape.steps, shape.hidden)
        let (x, w, u) = (detached(), inputWeight.detached(), recurrentWeight.detached())
        let gates = Tensor(uninitializedShape: [b, t, 3 * h])
        let savedHidden = Tensor(uninitializedShape: [b, t, h])
        let savedCandidate = Tensor(uninitializedShape: [b, t, h])
        let packed = Tensor(uninitializedShape: [b * (t + 1) * h])
        gruSequenceForward(
            input: x.storage.pointer,
            weights: RecurrentWeights(
                input: w.storage.pointer, recurrent: u.storage.pointer, inputSize: x.shape[2]),
            inputBias: inputBias?.storage.pointer,
            recurrentBias: recurrentBias?.storage.pointer,
            initialHidden: initialHidden.storage.pointer, gates: gates.storage.pointer,
            savedHidden: savedHidden.storage.pointer,
            savedCandidate: savedCandidate.storage.pointer, output: packed.storage.pointer,
            finalHidden: packed.storage.pointer + b * t * h, lengths: lengths, reverse: reverse,
            shape: shape)
        let tracked = [isTracked, inputWeight.isTracked, recurrentWeight.isTracked]
        let (hasInputBias, hasRecurrentBias) = (inputBias != nil, recurrentBias != nil)
        let inputs =
            [self, initialHidden, inputWeight, recurrentWeight]
            + [inputBias, recurrentBias].compactMap { $0 }
        let result = packed.recorded(from: inputs) { g in
            // `gates` is this op's private buffer; back-propagation runs once and overwrites it.
            let dx = tracked[0] ? Tensor(uninitializedShape: x.shape) : nil
            let dw = tracked[1] ? Tensor(uninitializedShape: w.shape) : nil
            let du = tracked[2] ? Tensor(uninitializedShape: u.shape) : nil
            let dh0 = Tensor(uninitializedShape: [b, h])
            let recurrentGradients = Tensor(uninitializedShape: [b, t, 3 * h])
            let upstream = g.storage.pointer
            let weights = RecurrentWeights(
                input: w.storage.pointer, recurrent: u.storage.pointer, inputSize: x.shape[2])
            gruSequenceBackward(
                input: x.storage.pointer, weights: weights, gates: gates.storage.pointer,
                recurrentGradients: recurrentGradients.storage.pointer,
                savedHidden: savedHidden.storage.pointer,
                savedCandidate: savedCandidate.storage.pointer, outputGradient: upstream,
                finalHiddenGradient: upstream + b * t * h,
                initialHiddenGradient: dh0.storage.pointer,
                inputWeightGradient: dw?.storage.pointer,
                recurrentWeightGradient: du?.storage.pointer,
                inputGradient: dx?.storage.pointer, lengths: lengths, reverse: reverse,
                shape: shape)
            var gradients: [Tensor?] = [dx, dh0, dw, du]
            if hasInputBias {
                gradients.append(gates.reshapedStorage([b * t, 3 * h]).sum(axes: [0]))
            }
            if hasRecurrentBias {
                gradients.append(recurrentGradients.reshapedStorage([b * t, 3 * h]).sum(axes: [0]))
            }
            return gradients
        }
        return RecurrentSequenceResult(
            output: result.sliced(axis: 0, 0..<(b * t * h)).reshaped([b, t, h]),
            hidden: result.sliced(axis: 0, (b * t * h)..<(b * (t + 1) * h)).reshaped([b, h]),
            cell: nil)
    }

    /// Checks the shapes of a fused recurrent op and returns its sizes.
    private func recurrentShape(
        _ op: String, gateCount: Int, initialHidden: Tensor, inputWeight: Tensor,
        recurrentWeight: Tensor, biases: [Tensor?]
    ) -> RecurrentShape {
        precondition(rank == 3, "\(op): input \(shape) must be [batch, steps, inputSize]")
        let h = initialHidden.shape.last ?? 0
        precondition(
            initialHidden.shape == [shape[0], h] && h > 0,
            "\(op): initial hidden \(initialHidden.shape) must be [\(shape[0]), hidden]")
        precondition(
            inputWeight.shape == [gateCount * h, shape[2]]
                && recurrentWeight.shape == [gateCount * h, h],
            "\(op): weights \(inputWeight.shape) and \(recurrentWeight.shape) must be [\(gateCount * h), \(shape[2])] and [\(gateCount * h), \(h)]"
        )
        for bias in biases.compactMap({ $0 }) {
            precondition(
                bias.shape == [gateCount * h],
                "\(op): bias \(bias.shape) must be [\(gateCount * h)]")
        }
        return RecurrentShape(batch: shape[0], steps: shape[1], hidden: h)
    }
}

/// `lengths`, or every sequence at full length; traps on a wrong count or a length out of range.
private func validatedLengths(_ lengths: [Int]?, _ op: String, shape: RecurrentShape) -> [Int] {
    guard let lengths else { return [Int](repeating: shape.steps, count: shape.batch) }
    precondition(
        lengths.count == shape.batch && lengths.allSatisfy({ (0...shape.steps).contains($0) }),
        "\(op): lengths \(lengths) must be \(shape.batch) values in 0...\(shape.steps)")
    return lengths
}
