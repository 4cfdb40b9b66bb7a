// One time step of LSTM and GRU layers over a padded batch, forward and backward, each a single
// pass over the gate rows with SIMD sigmoid and tanh. The matrix products around them (input
// projection, h · W_hhᵀ, weight gradients) are GEMMs made by the drivers in
// RecurrentSequence.swift.
//
// Layout: per-sequence buffers are batch-major `[B, T, width]`, like the layer's input. At each
// step, `positions[b]` is the time index that sequence `b` processes (counting down for the
// reverse direction), or −1 once the sequence has ended; ended rows are left untouched, so their
// state stays at its value after their last real step. Per-step buffers (`recurrent`,
// `stepGradient`, the states) are `[B, width]`.

/// Sizes of a recurrent layer's pass over a padded batch of sequences.
package struct RecurrentShape: Sendable, Equatable {
    /// Sequences in the batch, `B`.
    package var batch: Int
    /// Padded length of every sequence, `T`.
    package var steps: Int
    /// Size of the hidden state, `H`.
    package var hidden: Int

    /// Creates the sizes of a pass over `batch` sequences of `steps` padded steps.
    package init(batch: Int, steps: Int, hidden: Int) {
        precondition(
            batch >= 0 && steps >= 0 && hidden > 0,
            "RecurrentShape: invalid sizes batch \(batch), steps \(steps), hidden \(hidden)")
        (self.batch, self.steps, self.hidden) = (batch, steps, hidden)
    }

    /// The element offset of row `(b, t)` in a batch-major buffer of `width` per row.
    @inline(__always)
    func offset(_ b: Int, _ t: Int32, width: Int) -> Int { (b * steps + Int(t)) * width }

    /// Rows per worker: the gate math costs several transcendentals per element.
    var rowChunk: Int { max(1, 2048 / hidden) }
}

/// LSTM step: gate activations and the new state for every row still running.
///
/// With `a = gates[b, t] + recurrent[b] + bias` split into blocks `[i, f, g, o]` of `H`:
/// `c' = σ(f) · c + σ(i) · tanh(g)`, `h' = σ(o) · tanh(c')`. Writes the activations
/// `[σ(i), σ(f), tanh(g), σ(o)]` over `gates[b, t]`, the old `h` into `savedHidden[b, t]`, `c'`
/// into `savedCell[b, t]`, `h'` into `output[b, t]`, and updates `hidden` and `cell` in place.
///
/// Shapes: `gates` `[B, T, 4H]` (in, the input projection `x · W_ihᵀ`; out, the activations),
/// `recurrent` `[B, 4H]` (`h · W_hhᵀ` for this step), `bias` `[4H]` (`b_ih + b_hh`, or `nil`),
/// `hidden` and `cell` `[B, H]`, `savedHidden`, `savedCell` and `output` `[B, T, H]`,
/// `positions` `[B]` (each row's time index at this step, or −1).
package func lstmForwardStep(
    gates: UnsafeMutablePointer<Float>, recurrent: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, hidden: UnsafeMutablePointer<Float>,
    cell: UnsafeMutablePointer<Float>, savedHidden: UnsafeMutablePointer<Float>,
    savedCell: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
    positions: UnsafePointer<Int32>, shape: RecurrentShape
) {
    nonisolated(unsafe) let (gates, recurrent, bias, positions) = (
        gates, recurrent, bias, positions
    )
    nonisolated(unsafe) let (hidden, cell, savedHidden, savedCell, output) = (
        hidden, cell, savedHidden, savedCell, output
    )  // workers write disjoint rows
    let h = shape.hidden
    parallelFor(shape.batch, minimumChunk: shape.rowChunk) { rows in
        for b in rows {
            let t = positions[b]
            guard t >= 0 else { continue }
            let a = gates + shape.offset(b, t, width: 4 * h)
            let r = recurrent + b * 4 * h
            let (hRow, cRow) = (hidden + b * h, cell + b * h)
            let (savedH, savedC) = (
                savedHidden + shape.offset(b, t, width: h), savedCell + shape.offset(b, t, width: h)
            )
            let y = output + shape.offset(b, t, width: h)
            var j = 0
            while j < h {
                let n = min(16, h - j)
                func pre(_ block: Int) -> SIMD16<Float> {
                    let k = block * h + j
                    let sum =
                        loadLanes(a + k, count: n, padding: 0)
                        + loadLanes(
                            r + k, count: n, padding: 0)
                    guard let bias else { return sum }
                    return sum + loadLanes(bias + k, count: n, padding: 0)
                }
                let i = vectorSigmoid(pre(0))
                let f = vectorSigmoid(pre(1))
                let g = vectorTanh(pre(2))
                let o = vectorSigmoid(pre(3))
                let previousH = loadLanes(hRow + j, count: n, padding: 0)
                let newC = f * loadLanes(cRow + j, count: n, padding: 0) + i * g
                let newH = o * vectorTanh(newC)
                storeLanes(i, to: a + j, count: n)
                storeLanes(f, to: a + h + j, count: n)
                storeLanes(g, to: a + 2 * h + j, count: n)
                storeLanes(o, to: a + 3 * h + j, count: n)
                storeLanes(previousH, to: savedH + j, count: n)
                storeLanes(newC, to: savedC + j, count: n)
                storeLanes(newC, to: cRow + j, count: n)
                storeLanes(newH, to: hRow + j, count: n)
                storeLanes(newH, to: y + j, count: n)
                j += 16
            }
        }
    }
}

/// LSTM step backward: the pre-activation gate gradients of every row still running.
///
/// With `dh = hiddenGradient[b] + outputGradient[b, t]` and `dc = cellGradient[b] + dh · σ(o) ·
/// (1 − tanh²c')`: `d[i, f, g, o] = [dc · g · i(1−i), dc · c · f(1−f), dc · i · (1−g²),
/// dh · tanh c' · o(1−o)]`, written over the activations in `gates[b, t]` and into
/// `stepGradient[b]`; `cellGradient[b]` becomes `dc · f`, and `hiddenGradient[b]` becomes 0 (the
/// caller adds `stepGradient · W_hh`). Ended rows get zero `stepGradient` and keep their
/// `hiddenGradient` and `cellGradient`, which pass on unchanged.
///
/// Shapes: `gates` `[B, T, 4H]` (in, the activations saved by `lstmForwardStep`; out, the
/// gradients), `stepGradient` `[B, 4H]`, `hiddenGradient` and `cellGradient` `[B, H]` (`∂L/∂h`
/// and `∂L/∂c` after the step), `outputGradient` `[B, T, H]` (or `nil` when the output is
/// unused), `savedCell` `[B, T, H]` (each step's new cell state), `initialCell` `[B, H]` (the
/// cell state before the first step), `positions` and `previousPositions` `[B]` (the time
/// indices of this step and of the one before; `nil` at the first step).
package func lstmBackwardStep(
    gates: UnsafeMutablePointer<Float>, stepGradient: UnsafeMutablePointer<Float>,
    hiddenGradient: UnsafeMutablePointer<Float>, cellGradient: UnsafeMutablePointer<Float>,
    outputGradient: UnsafePointer<Float>?, savedCell: UnsafePointer<Float>,
    initialCell: UnsafePointer<Float>, positions: UnsafePointer<Int32>,
    previousPositions: UnsafePointer<Int32>?, shape: RecurrentShape
) {
    nonisolated(unsafe) let (gates, stepGradient, hiddenGradient, cellGradient) = (
        gates, stepGradient, hiddenGradient, cellGradient
    )  // workers write disjoint rows
    nonisolated(unsafe) let (outputGradient, savedCell, initialCell) = (
        outputGradient, savedCell, initialCell
    )
    nonisolated(unsafe) let (positions, previousPositions) = (positions, previousPositions)
    let h = shape.hidden
    parallelFor(shape.batch, minimumChunk: shape.rowChunk) { rows in
        for b in rows {
            let t = positions[b]
            let d = stepGradient + b * 4 * h
            guard t >= 0 else {
                d.update(repeating: 0, count: 4 * h)
                continue
            }
            let a = gates + shape.offset(b, t, width: 4 * h)
            let (dhRow, dcRow) = (hiddenGradient + b * h, cellGradient + b * h)
            let c = savedCell + shape.offset(b, t, width: h)
            let previousC =
                previousPositions.map { savedCell + shape.offset(b, $0[b], width: h) }
                ?? initialCell + b * h
            let dy = outputGradient.map { $0 + shape.offset(b, t, width: h) }
            var j = 0
            while j < h {
                let n = min(16, h - j)
                let i = loadLanes(a + j, count: n, padding: 0)
                let f = loadLanes(a + h + j, count: n, padding: 0)
                let g = loadLanes(a + 2 * h + j, count: n, padding: 0)
                let o = loadLanes(a + 3 * h + j, count: n, padding: 0)
                var dh = loadLanes(dhRow + j, count: n, padding: 0)
                if let dy { dh += loadLanes(dy + j, count: n, padding: 0) }
                let tanhC = vectorTanh(loadLanes(c + j, count: n, padding: 0))
                let dc =
                    loadLanes(dcRow + j, count: n, padding: 0) + dh * o * (1 - tanhC * tanhC)
                let di = dc * g * i * (1 - i)
                let df = dc * loadLanes(previousC + j, count: n, padding: 0) * f * (1 - f)
                let dg = dc * i * (1 - g * g)
                let dO = dh * tanhC * o * (1 - o)
                storeTwice(di, a + j, d + j, count: n)
                storeTwice(df, a + h + j, d + h + j, count: n)
                storeTwice(dg, a + 2 * h + j, d + 2 * h + j, count: n)
                storeTwice(dO, a + 3 * h + j, d + 3 * h + j, count: n)
                storeLanes(dc * f, to: dcRow + j, count: n)
                storeLanes(.zero, to: dhRow + j, count: n)
                j += 16
            }
        }
    }
}

/// GRU step: gate activations and the new hidden state for every row still running.
///
/// With `x = gates[b, t] + b_ih` and `q = recurrent[b] + b_hh`, each split into blocks
/// `[r, z, n]` of `H`: `r = σ(x_r + q_r)`, `z = σ(x_z + q_z)`, `n = tanh(x_n + r · q_n)`,
/// `h' = (1 − z) · n + z · h`. Writes `[r, z, n]` over `gates[b, t]`, `q_n` into
/// `savedCandidate[b, t]`, the old `h` into `savedHidden[b, t]`, `h'` into `output[b, t]`, and
/// updates `hidden` in place.
///
/// Shapes: `gates` `[B, T, 3H]` (in, the input projection `x · W_ihᵀ`; out, the activations),
/// `recurrent` `[B, 3H]` (`h · W_hhᵀ` for this step), `inputBias` and `recurrentBias` `[3H]`
/// (or `nil`), `hidden` `[B, H]`, `savedHidden`, `savedCandidate` and `output` `[B, T, H]`,
/// `positions` `[B]` (each row's time index at this step, or −1).
package func gruForwardStep(
    gates: UnsafeMutablePointer<Float>, recurrent: UnsafePointer<Float>,
    inputBias: UnsafePointer<Float>?, recurrentBias: UnsafePointer<Float>?,
    hidden: UnsafeMutablePointer<Float>, savedHidden: UnsafeMutablePointer<Float>,
    savedCandidate: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
    positions: UnsafePointer<Int32>, shape: RecurrentShape
) {
    nonisolated(unsafe) let (gates, recurrent, positions) = (gates, recurrent, positions)
    nonisolated(unsafe) let (inputBias, recurrentBias) = (inputBias, recurrentBias)
    nonisolated(unsafe) let (hidden, savedHidden, savedCandidate, output) = (
        hidden, savedHidden, savedCandidate, output
    )  // workers write disjoint rows
    let h = shape.hidden
    parallelFor(shape.batch, minimumChunk: shape.rowChunk) { rows in
        for b in rows {
            let t = positions[b]
            guard t >= 0 else { continue }
            let a = gates + shape.offset(b, t, width: 3 * h)
            let q = recurrent + b * 3 * h
            let hRow = hidden + b * h
            let savedH = savedHidden + shape.offset(b, t, width: h)
            let savedN = savedCandidate + shape.offset(b, t, width: h)
            let y = output + shape.offset(b, t, width: h)
            var j = 0
            while j < h {
                let n = min(16, h - j)
                func lanes(_ p: UnsafePointer<Float>?, _ block: Int) -> SIMD16<Float> {
                    guard let p else { return .zero }
                    return loadLanes(p + block * h + j, count: n, padding: 0)
                }
                let reset = vectorSigmoid(
                    lanes(a, 0) + lanes(inputBias, 0) + lanes(q, 0) + lanes(recurrentBias, 0))
                let update = vectorSigmoid(
                    lanes(a, 1) + lanes(inputBias, 1) + lanes(q, 1) + lanes(recurrentBias, 1))
                let hiddenPart = lanes(q, 2) + lanes(recurrentBias, 2)
                let candidate = vectorTanh(lanes(a, 2) + lanes(inputBias, 2) + reset * hiddenPart)
                let previousH = loadLanes(hRow + j, count: n, padding: 0)
                let newH = candidate + update * (previousH - candidate)
                storeLanes(reset, to: a + j, count: n)
                storeLanes(update, to: a + h + j, count: n)
                storeLanes(candidate, to: a + 2 * h + j, count: n)
                storeLanes(hiddenPart, to: savedN + j, count: n)
                storeLanes(previousH, to: savedH + j, count: n)
                storeLanes(newH, to: hRow + j, count: n)
                storeLanes(newH, to: y + j, count: n)
                j += 16
            }
        }
    }
}

/// GRU step backward: the pre-activation gate gradients of every row still running.
///
/// With `dh = hiddenGradient[b] + outputGradient[b, t]`: `dn = dh · (1 − z) · (1 − n²)`,
/// `dz = dh · (h − n) · z(1 − z)`, `dr = dn · q_n · r(1 − r)`. Writes the input-side gradients
/// `[dr, dz, dn]` over the activations in `gates[b, t]`, the recurrent-side gradients
/// `[dr, dz, dn · r]` into `recurrentGradients[b, t]` and `stepGradient[b]`, and sets
/// `hiddenGradient[b]` to `dh · z` (the caller adds `stepGradient · W_hh`). Ended rows get zero
/// `stepGradient` and keep their `hiddenGradient`.
///
/// Shapes: `gates` `[B, T, 3H]` (in, the activations saved by `gruForwardStep`; out, the
/// gradients), `recurrentGradients` `[B, T, 3H]` (written at the rows still running),
/// `stepGradient` `[B, 3H]`, `hiddenGradient` `[B, H]` (`∂L/∂h` after the step),
/// `outputGradient` `[B, T, H]` (or `nil` when the output is unused), `savedHidden` and
/// `savedCandidate` `[B, T, H]` (each step's previous hidden state and `q_n`), `positions`
/// `[B]` (each row's time index at this step, or −1).
package func gruBackwardStep(
    gates: UnsafeMutablePointer<Float>, recurrentGradients: UnsafeMutablePointer<Float>,
    stepGradient: UnsafeMutablePointer<Float>, hiddenGradient: UnsafeMutablePointer<Float>,
    outputGradient: UnsafePointer<Float>?, savedHidden: UnsafePointer<Float>,
    savedCandidate: UnsafePointer<Float>, positions: UnsafePointer<Int32>, shape: RecurrentShape
) {
    nonisolated(unsafe) let (gates, recurrentGradients, stepGradient, hiddenGradient) = (
        gates, recurrentGradients, stepGradient, hiddenGradient
    )  // workers write disjoint rows
    nonisolated(unsafe) let (outputGradient, savedHidden, savedCandidate, positions) = (
        outputGradient, savedHidden, savedCandidate, positions
    )
    let h = shape.hidden
    parallelFor(shape.batch, minimumChunk: shape.rowChunk) { rows in
        for b in rows {
            let t = positions[b]
            let d = stepGradient + b * 3 * h
            guard t >= 0 else {
                d.update(repeating: 0, count: 3 * h)
                continue
            }
            let a = gates + shape.offset(b, t, width: 3 * h)
            let dq = recurrentGradients + shape.offset(b, t, width: 3 * h)
            let dhRow = hiddenGradient + b * h
            let previousH = savedHidden + shape.offset(b, t, width: h)
            let hiddenPart = savedCandidate + shape.offset(b, t, width: h)
            let dy = outputGradient.map { $0 + shape.offset(b, t, width: h) }
            var j = 0
            while j < h {
                let n = min(16, h - j)
                let reset = loadLanes(a + j, count: n, padding: 0)
                let update = loadLanes(a + h + j, count: n, padding: 0)
                let candidate = loadLanes(a + 2 * h + j, count: n, padding: 0)
                var dh = loadLanes(dhRow + j, count: n, padding: 0)
                if let dy { dh += loadLanes(dy + j, count: n, padding: 0) }
                let dn = dh * (1 - update) * (1 - candidate * candidate)
                let dz =
                    dh * (loadLanes(previousH + j, count: n, padding: 0) - candidate) * update
                    * (1 - update)
                let dr =
                    dn * loadLanes(hiddenPart + j, count: n, padding: 0) * reset * (1 - reset)
                let dqn = dn * reset
                storeLanes(dr, to: a + j, count: n)
                storeLanes(dz, to: a + h + j, count: n)
                storeLanes(dn, to: a + 2 * h + j, count: n)
                storeTwice(dr, dq + j, d + j, count: n)
                storeTwice(dz, dq + h + j, d + h + j, count: n)
                storeTwice(dqn, dq + 2 * h + j, d + 2 * h + j, count: n)
                storeLanes(dh * update, to: dhRow + j, count: n)
                j += 16
            }
        }
    }
}

/// Stores the first `count` lanes of `lanes` at both `first` and `second`.
@inline(__always)
private func storeTwice(
    _ lanes: SIMD16<Float>, _ first: UnsafeMutablePointer<Float>,
    _ second: UnsafeMutablePointer<Float>, count: Int
) {
    storeLanes(lanes, to: first, count: count)
    storeLanes(lanes, to: second, count: count)
}
