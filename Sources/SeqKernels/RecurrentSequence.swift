// Whole passes of one LSTM or GRU layer direction over a padded batch: the input projection for
// every time step in one BLAS GEMM, one product per step for all gates (h · W_hhᵀ, against
// W_hh packed once per pass by PackedGemm.swift, or through BLAS for a single step), the fused
// step kernels of Recurrent.swift for the gate math, and, backward through time, one product per
// step for ∂L/∂h and single large BLAS GEMMs at the end for ∂L/∂x, ∂L/∂W_ih and ∂L/∂W_hh.

/// Each step's time index for every sequence, laid out `[stepCount, B]`, and `stepCount`.
///
/// Forward, sequence `b` processes time `s` at step `s`; in reverse it processes
/// `lengths[b] − 1 − s`, so it starts at its own last real step. Past its length a sequence's
/// index is −1.
package func recurrentPositions(
    lengths: [Int], reverse: Bool
) -> (positions: [Int32], stepCount: Int) {
    let stepCount = lengths.max() ?? 0
    var positions = [Int32](repeating: -1, count: stepCount * lengths.count)
    for (b, length) in lengths.enumerated() {
        for s in 0..<length {
            positions[s * lengths.count + b] = Int32(reverse ? length - 1 - s : s)
        }
    }
    return (positions, stepCount)
}

/// The weights of one recurrent layer direction with `G` gate blocks.
package struct RecurrentWeights {
    /// `W_ih`, `[G·H, inputSize]`.
    package var input: UnsafePointer<Float>
    /// `W_hh`, `[G·H, H]`.
    package var recurrent: UnsafePointer<Float>
    /// The size of each input vector.
    package var inputSize: Int

    /// Bundles the weight pointers of one layer direction.
    package init(input: UnsafePointer<Float>, recurrent: UnsafePointer<Float>, inputSize: Int) {
        (self.input, self.recurrent, self.inputSize) = (input, recurrent, inputSize)
    }
}

/// Runs an LSTM layer direction over `input` `[B, T, inputSize]`.
///
/// Writes the activations (`gates`, `[B, T, 4H]`), the hidden state before and the cell state
/// after each step (`savedHidden`, `savedCell`, `[B, T, H]`) for `lstmSequenceBackward`, the
/// output `[B, T, H]` (zero past each length), and the final states `[B, H]` (taken at each
/// sequence's last real step). `lengths` has `B` entries, each at most `T`.
package func lstmSequenceForward(
    input: UnsafePointer<Float>, weights: RecurrentWeights, bias: UnsafePointer<Float>?,
    initialHidden: UnsafePointer<Float>, initialCell: UnsafePointer<Float>,
    gates: UnsafeMutablePointer<Float>, savedHidden: UnsafeMutablePointer<Float>,
    savedCell: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
    finalHidden: UnsafeMutablePointer<Float>, finalCell: UnsafeMutablePointer<Float>,
    lengths: [Int], reverse: Bool, shape: RecurrentShape
) {
    withSingleThreadedBLAS {
        let (b, h) = (shape.batch, shape.hidden)
        splitGemm(
            input, lda: weights.inputSize, weights.input, transposeB: true, ldb: weights.inputSize,
            gates, ldc: 4 * h, m: b * shape.steps, n: 4 * h, k: weights.inputSize)
        finalHidden.update(from: initialHidden, count: b * h)
        finalCell.update(from: initialCell, count: b * h)
        zeroPadding(output, lengths: lengths, shape: shape, width: h)
        zeroPadding(savedHidden, lengths: lengths, shape: shape, width: h)
        let (positions, stepCount) = recurrentPositions(lengths: lengths, reverse: reverse)
        let recurrent = UnsafeMutablePointer<Float>.allocate(capacity: b * 4 * h)
        defer { recurrent.deallocate() }
        let packed = RecurrentProduct(
            weights.recurrent, transposed: true, k: h, n: 4 * h,
            stepCount: stepCount)
        positions.withUnsafeBufferPointer { positions in
            guard let positions = positions.baseAddress else { return }
            for s in 0..<stepCount {
                packed.multiply(finalHidden, lda: h, into: recurrent, ldc: 4 * h, m: b)
                lstmForwardStep(
                    gates: gates, recurrent: recurrent, bias: bias, hidden: finalHidden,
                    cell: finalCell, savedHidden: savedHidden, savedCell: savedCell, output: output,
                    positions: positions + s * b, shape: shape)
            }
        }
    }
}

/// Back-propagates through an LSTM layer direction run by `lstmSequenceForward`.
///
/// `gates` holds the saved activations and is overwritten with the pre-activation gate
/// gradients `[B, T, 4H]` (zero past each length), whose sums over rows are the bias gradients.
/// The upstream gradients (`outputGradient` `[B, T, H]`, `finalHiddenGradient` and
/// `finalCellGradient` `[B, H]`) may each be `nil` for zero. Writes `∂L/∂h₀` and `∂L/∂c₀`
/// `[B, H]` and, unless their pointers are `nil`, `∂L/∂W_hh` `[4H, H]`, `∂L/∂W_ih`
/// `[4H, inputSize]` and `∂L/∂input` `[B, T, inputSize]`.
package func lstmSequenceBackward(
    input: UnsafePointer<Float>, weights: RecurrentWeights, gates: UnsafeMutablePointer<Float>,
    savedHidden: UnsafePointer<Float>, savedCell: UnsafePointer<Float>,
    initialCell: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>?,
    finalHiddenGradient: UnsafePointer<Float>?, finalCellGradient: UnsafePointer<Float>?,
    initialHiddenGradient: UnsafeMutablePointer<Float>,
    initialCellGradient: UnsafeMutablePointer<Float>,
    inputWeightGradient: UnsafeMutablePointer<Float>?,
    recurrentWeightGradient: UnsafeMutablePointer<Float>?,
    inputGradient: UnsafeMutablePointer<Float>?, lengths: [Int], reverse: Bool,
    shape: RecurrentShape
) {
    withSingleThreadedBLAS {
        let (b, h) = (shape.batch, shape.hidden)
        copyOrZero(finalHiddenGradient, to: initialHiddenGradient, count: b * h)
        copyOrZero(finalCellGradient, to: initialCellGradient, count: b * h)
        let (positions, stepCount) = recurrentPositions(lengths: lengths, reverse: reverse)
        let stepGradient = UnsafeMutablePointer<Float>.allocate(capacity: b * 4 * h)
        defer { stepGradient.deallocate() }
        let packed = RecurrentProduct(
            weights.recurrent, transposed: false, k: 4 * h, n: h,
            stepCount: stepCount)
        positions.withUnsafeBufferPointer { positions in
            guard let positions = positions.baseAddress else { return }
            for s in stride(from: stepCount - 1, through: 0, by: -1) {
                lstmBackwardStep(
                    gates: gates, stepGradient: stepGradient, hiddenGradient: initialHiddenGradient,
                    cellGradient: initialCellGradient, outputGradient: outputGradient,
                    savedCell: savedCell, initialCell: initialCell, positions: positions + s * b,
                    previousPositions: s > 0 ? positions + (s - 1) * b : nil, shape: shape)
                packed.multiply(
                    stepGradient, lda: 4 * h, into: initialHiddenGradient, ldc: h, m: b,
                    accumulate: true)
            }
        }
        zeroPadding(gates, lengths: lengths, shape: shape, width: 4 * h)
        inputSideGradients(
            input: input, weights: weights, gateGradients: gates, gateWidth: 4 * h,
            inputWeightGradient: inputWeightGradient, inputGradient: inputGradient, shape: shape)
        guard let recurrentWeightGradient else { return }
        splitGemm(
            gates, transposeA: true, lda: 4 * h, savedHidden, ldb: h, recurrentWeightGradient,
            ldc: h, m: 4 * h, n: h, k: b * shape.steps)
    }
}

/// Runs a GRU layer direction over `input` `[B, T, inputSize]`.
///
/// Writes the activations (`gates`, `[B, T, 3H]`), the hidden state before each step and each
/// step's `h · W_hnᵀ + b_hn` (`savedHidden`, `savedCandidate`, `[B, T, H]`) for
/// `gruSequenceBackward`, the output `[B, T, H]` (zero past each length) and the final hidden
/// state `[B, H]` (taken at each sequence's last real step).
package func gruSequenceForward(
    input: UnsafePointer<Float>, weights: RecurrentWeights, inputBias: UnsafePointer<Float>?,
    recurrentBias: UnsafePointer<Float>?, initialHidden: UnsafePointer<Float>,
    gates: UnsafeMutablePointer<Float>, savedHidden: UnsafeMutablePointer<Float>,
    savedCandidate: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
    finalHidden: UnsafeMutablePointer<Float>, lengths: [Int], reverse: Bool,
    shape: RecurrentShape
) {
    withSingleThreadedBLAS {
        let (b, h) = (shape.batch, shape.hidden)
        splitGemm(
            input, lda: weights.inputSize, weights.input, transposeB: true, ldb: weights.inputSize,
            gates, ldc: 3 * h, m: b * shape.steps, n: 3 * h, k: weights.inputSize)
        finalHidden.update(from: initialHidden, count: b * h)
        zeroPadding(output, lengths: lengths, shape: shape, width: h)
        zeroPadding(savedHidden, lengths: lengths, shape: shape, width: h)
        let (positions, stepCount) = recurrentPositions(lengths: lengths, reverse: reverse)
        let recurrent = UnsafeMutablePointer<Float>.allocate(capacity: b * 3 * h)
        defer { recurrent.deallocate() }
        let packed = RecurrentProduct(
            weights.recurrent, transposed: true, k: h, n: 3 * h,
            stepCount: stepCount)
        positions.withUnsafeBufferPointer { positions in
            guard let positions = positions.baseAddress else { return }
            for s in 0..<stepCount {
                packed.multiply(finalHidden, lda: h, into: recurrent, ldc: 3 * h, m: b)
                gruForwardStep(
                    gates: gates, recurrent: recurrent, inputBias: inputBias,
                    recurrentBias: recurrentBias, hidden: finalHidden, savedHidden: savedHidden,
                    savedCandidate: savedCandidate, output: output, positions: positions + s * b,
                    shape: shape)
            }
        }
    }
}

/// Back-propagates through a GRU layer direction run by `gruSequenceForward`.
///
/// `gates` holds the saved activations and is overwritten with the input-side gate gradients
/// `[B, T, 3H]` (whose row sums are `∂L/∂b_ih`); `recurrentGradients` `[B, T, 3H]` receives
/// the recurrent-side ones (whose row sums are `∂L/∂b_hh`); both are zero past each length.
/// The upstream gradients (`outputGradient` `[B, T, H]`, `finalHiddenGradient` `[B, H]`) may be
/// `nil` for zero. Writes `∂L/∂h₀` `[B, H]` and, unless their pointers are `nil`, `∂L/∂W_hh`
/// `[3H, H]`, `∂L/∂W_ih` `[3H, inputSize]` and `∂L/∂input` `[B, T, inputSize]`.
package func gruSequenceBackward(
    input: UnsafePointer<Float>, weights: RecurrentWeights, gates: UnsafeMutablePointer<Float>,
    recurrentGradients: UnsafeMutablePointer<Float>, savedHidden: UnsafePointer<Float>,
    savedCandidate: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>?,
    finalHiddenGradient: UnsafePointer<Float>?, initialHiddenGradient: UnsafeMutablePointer<Float>,
    inputWeightGradient: UnsafeMutablePointer<Float>?,
    recurrentWeightGradient: UnsafeMutablePointer<Float>?,
    inputGradient: UnsafeMutablePointer<Float>?, lengths: [Int], reverse: Bool,
    shape: RecurrentShape
) {
    withSingleThreadedBLAS {
        let (b, h) = (shape.batch, shape.hidden)
        copyOrZero(finalHiddenGradient, to: initialHiddenGradient, count: b * h)
        zeroPadding(recurrentGradients, lengths: lengths, shape: shape, width: 3 * h)
        let (positions, stepCount) = recurrentPositions(lengths: lengths, reverse: reverse)
        let stepGradient = UnsafeMutablePointer<Float>.allocate(capacity: b * 3 * h)
        defer { stepGradient.deallocate() }
        let packed = RecurrentProduct(
            weights.recurrent, transposed: false, k: 3 * h, n: h,
            stepCount: stepCount)
        positions.withUnsafeBufferPointer { positions in
            guard let positions = positions.baseAddress else { return }
            for s in stride(from: stepCount - 1, through: 0, by: -1) {
                gruBackwardStep(
                    gates: gates, recurrentGradients: recurrentGradients,
                    stepGradient: stepGradient,
                    hiddenGradient: initialHiddenGradient, outputGradient: outputGradient,
                    savedHidden: savedHidden, savedCandidate: savedCandidate,
                    positions: positions + s * b, shape: shape)
                packed.multiply(
                    stepGradient, lda: 3 * h, into: initialHiddenGradient, ldc: h, m: b,
                    accumulate: true)
            }
        }
        zeroPadding(gates, lengths: lengths, shape: shape, width: 3 * h)
        inputSideGradients(
            input: input, weights: weights, gateGradients: gates, gateWidth: 3 * h,
            inputWeightGradient: inputWeightGradient, inputGradient: inputGradient, shape: shape)
        guard let recurrentWeightGradient else { return }
        splitGemm(
            recurrentGradients, transposeA: true, lda: 3 * h, savedHidden, ldb: h,
            recurrentWeightGradient, ldc: h, m: 3 * h, n: h, k: b * shape.steps)
    }
}

/// `∂L/∂W_ih = dGᵀ · input` and, unless `inputGradient` is `nil`, `∂L/∂input = dG · W_ih`,
/// each one GEMM over all `B · T` rows.
private func inputSideGradients(
    input: UnsafePointer<Float>, weights: RecurrentWeights, gateGradients: UnsafePointer<Float>,
    gateWidth: Int, inputWeightGradient: UnsafeMutablePointer<Float>?,
    inputGradient: UnsafeMutablePointer<Float>?, shape: RecurrentShape
) {
    let rows = shape.batch * shape.steps
    if let inputWeightGradient {
        splitGemm(
            gateGradients, transposeA: true, lda: gateWidth, input, ldb: weights.inputSize,
            inputWeightGradient, ldc: weights.inputSize, m: gateWidth, n: weights.inputSize,
            k: rows)
    }
    guard let inputGradient else { return }
    splitGemm(
        gateGradients, lda: gateWidth, weights.input, ldb: weights.inputSize, inputGradient,
        ldc: weights.inputSize, m: rows, n: weights.inputSize, k: gateWidth)
}

/// Zeroes rows `(b, t)` with `t ≥ lengths[b]` of a `[B, T, width]` buffer.
private func zeroPadding(
    _ buffer: UnsafeMutablePointer<Float>, lengths: [Int], shape: RecurrentShape, width: Int
) {
    for (b, length) in lengths.enumerated() where length < shape.steps {
        (buffer + (b * shape.steps + length) * width)
            .update(repeating: 0, count: (shape.steps - length) * width)
    }
}

/// Copies `count` floats from `source` to `target`, or zeroes `target` when `source` is `nil`.
private func copyOrZero(
    _ source: UnsafePointer<Float>?, to target: UnsafeMutablePointer<Float>, count: Int
) {
    if let source {
        target.update(from: source, count: count)
    } else {
        target.update(repeating: 0, count: count)
    }
}

/// `W_hh` as the right operand of one product per time step: packed once by
/// `packColumnPanels` for `packedGemm` when the pass has enough steps to repay the packing,
/// used in place through BLAS otherwise (a single step, as a cell).
private final class RecurrentProduct {
    let weight: UnsafePointer<Float>
    let transposed: Bool
    let (k, n): (Int, Int)
    let panels: UnsafeMutablePointer<Float>?

    /// Prepares `op(W)` (`k × n`): `W` is stored `n × k` when `transposed`, else `k × n`.
    init(_ weight: UnsafePointer<Float>, transposed: Bool, k: Int, n: Int, stepCount: Int) {
        (self.weight, self.transposed, self.k, self.n) = (weight, transposed, k, n)
        guard stepCount > 2 else {
            panels = nil
            return
        }
        let panels = UnsafeMutablePointer<Float>.allocate(capacity: packedPanelsCount(k: k, n: n))
        packColumnPanels(
            weight, transposed: transposed, ldb: transposed ? k : n, k: k, n: n, into: panels)
        self.panels = panels
    }

    deinit { panels?.deallocate() }

    /// `C = A · op(W)` (or `C +=` when `accumulate`) for `m` rows of `A`.
    func multiply(
        _ a: UnsafePointer<Float>, lda: Int, into c: UnsafeMutablePointer<Float>, ldc: Int,
        m: Int, accumulate: Bool = false
    ) {
        guard let panels else {
            splitGemm(
                a, lda: lda, weight, transposeB: transposed, ldb: transposed ? k : n, c,
                ldc: ldc, m: m, n: n, k: k, beta: accumulate ? 1 : 0)
            return
        }
        packedGemm(
            a, lda: lda, packed: panels, c, ldc: ldc, m: m, n: n, k: k, accumulate: accumulate)
    }
}
