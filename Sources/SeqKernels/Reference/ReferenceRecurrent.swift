#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Naive twin of `lstmForwardStep`: one element at a time in `Double`, libm's `exp` and `tanh`.
package func referenceLSTMForwardStep(
    gates: UnsafeMutablePointer<Float>, recurrent: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, hidden: UnsafeMutablePointer<Float>,
    cell: UnsafeMutablePointer<Float>, savedHidden: UnsafeMutablePointer<Float>,
    savedCell: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
    positions: UnsafePointer<Int32>, shape: RecurrentShape
) {
    let (h, steps) = (shape.hidden, shape.steps)
    for b in 0..<shape.batch where positions[b] >= 0 {
        let t = Int(positions[b])
        let row = (b * steps + t) * 4 * h
        let stateRow = (b * steps + t) * h
        for j in 0..<h {
            func pre(_ block: Int) -> Double {
                let k = block * h + j
                return Double(gates[row + k]) + Double(recurrent[b * 4 * h + k])
                    + (bias.map { Double($0[k]) } ?? 0)
            }
            let (i, f, g, o) = (sigmoid(pre(0)), sigmoid(pre(1)), tanh(pre(2)), sigmoid(pre(3)))
            let newC = f * Double(cell[b * h + j]) + i * g
            let newH = o * tanh(newC)
            (gates[row + j], gates[row + h + j]) = (Float(i), Float(f))
            (gates[row + 2 * h + j], gates[row + 3 * h + j]) = (Float(g), Float(o))
            savedHidden[stateRow + j] = hidden[b * h + j]
            savedCell[stateRow + j] = Float(newC)
            cell[b * h + j] = Float(newC)
            hidden[b * h + j] = Float(newH)
            output[stateRow + j] = Float(newH)
        }
    }
}

/// Naive twin of `lstmBackwardStep`, in `Double`.
package func referenceLSTMBackwardStep(
    gates: UnsafeMutablePointer<Float>, stepGradient: UnsafeMutablePointer<Float>,
    hiddenGradient: UnsafeMutablePointer<Float>, cellGradient: UnsafeMutablePointer<Float>,
    outputGradient: UnsafePointer<Float>?, savedCell: UnsafePointer<Float>,
    initialCell: UnsafePointer<Float>, positions: UnsafePointer<Int32>,
    previousPositions: UnsafePointer<Int32>?, shape: RecurrentShape
) {
    let (h, steps) = (shape.hidden, shape.steps)
    for b in 0..<shape.batch {
        guard positions[b] >= 0 else {
            for k in 0..<4 * h { stepGradient[b * 4 * h + k] = 0 }
            continue
        }
        let t = Int(positions[b])
        let row = (b * steps + t) * 4 * h
        let stateRow = (b * steps + t) * h
        let previousRow = previousPositions.map { (b * steps + Int($0[b])) * h }
        for j in 0..<h {
            let (i, f) = (Double(gates[row + j]), Double(gates[row + h + j]))
            let (g, o) = (Double(gates[row + 2 * h + j]), Double(gates[row + 3 * h + j]))
            let dh =
                Double(hiddenGradient[b * h + j])
                + (outputGradient.map { Double($0[stateRow + j]) } ?? 0)
            let tanhC = tanh(Double(savedCell[stateRow + j]))
            let dc = Double(cellGradient[b * h + j]) + dh * o * (1 - tanhC * tanhC)
            let previousC = Double(
                previousRow.map { savedCell[$0 + j] } ?? initialCell[b * h + j])
            let gradients = [
                dc * g * i * (1 - i), dc * previousC * f * (1 - f), dc * i * (1 - g * g),
                dh * tanhC * o * (1 - o),
            ]
            for (block, value) in gradients.enumerated() {
                gates[row + block * h + j] = Float(value)
                stepGradient[b * 4 * h + block * h + j] = Float(value)
            }
            cellGradient[b * h + j] = Float(dc * f)
            hiddenGradient[b * h + j] = 0
        }
    }
}

/// Naive twin of `gruForwardStep`, in `Double`.
package func referenceGRUForwardStep(
    gates: UnsafeMutablePointer<Float>, recurrent: UnsafePointer<Float>,
    inputBias: UnsafePointer<Float>?, recurrentBias: UnsafePointer<Float>?,
    hidden: UnsafeMutablePointer<Float>, savedHidden: UnsafeMutablePointer<Float>,
    savedCandidate: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
    positions: UnsafePointer<Int32>, shape: RecurrentShape
) {
    let (h, steps) = (shape.hidden, shape.steps)
    for b in 0..<shape.batch where positions[b] >= 0 {
        let t = Int(positions[b])
        let row = (b * steps + t) * 3 * h
        let stateRow = (b * steps + t) * h
        for j in 0..<h {
            func x(_ block: Int) -> Double {
                Double(gates[row + block * h + j])
                    + (inputBias.map { Double($0[block * h + j]) } ?? 0)
            }
            func q(_ block: Int) -> Double {
                Double(recurrent[b * 3 * h + block * h + j])
                    + (recurrentBias.map { Double($0[block * h + j]) } ?? 0)
            }
            let reset = sigmoid(x(0) + q(0))
            let update = sigmoid(x(1) + q(1))
            let candidate = tanh(x(2) + reset * q(2))
            let previousH = Double(hidden[b * h + j])
            let newH = (1 - update) * candidate + update * previousH
            gates[row + j] = Float(reset)
            gates[row + h + j] = Float(update)
            gates[row + 2 * h + j] = Float(candidate)
            savedCandidate[stateRow + j] = Float(q(2))
            savedHidden[stateRow + j] = hidden[b * h + j]
            hidden[b * h + j] = Float(newH)
            output[stateRow + j] = Float(newH)
        }
    }
}

/// Naive twin of `gruBackwardStep`, in `Double`.
package func referenceGRUBackwardStep(
    gates: UnsafeMutablePointer<Float>, recurrentGradients: UnsafeMutablePointer<Float>,
    stepGradient: UnsafeMutablePointer<Float>, hiddenGradient: UnsafeMutablePointer<Float>,
    outputGradient: UnsafePointer<Float>?, savedHidden: UnsafePointer<Float>,
    savedCandidate: UnsafePointer<Float>, positions: UnsafePointer<Int32>, shape: RecurrentShape
) {
    let (h, steps) = (shape.hidden, shape.steps)
    for b in 0..<shape.batch {
        guard positions[b] >= 0 else {
            for k in 0..<3 * h { stepGradient[b * 3 * h + k] = 0 }
            continue
        }
        let t = Int(positions[b])
        let row = (b * steps + t) * 3 * h
        let stateRow = (b * steps + t) * h
        for j in 0..<h {
            let reset = Double(gates[row + j])
            let update = Double(gates[row + h + j])
            let candidate = Double(gates[row + 2 * h + j])
            let dh =
                Double(hiddenGradient[b * h + j])
                + (outputGradient.map { Double($0[stateRow + j]) } ?? 0)
            let dn = dh * (1 - update) * (1 - candidate * candidate)
            let dz = dh * (Double(savedHidden[stateRow + j]) - candidate) * update * (1 - update)
            let dr = dn * Double(savedCandidate[stateRow + j]) * reset * (1 - reset)
            let inputSide = [dr, dz, dn]
            let recurrentSide = [dr, dz, dn * reset]
            for block in 0..<3 {
                gates[row + block * h + j] = Float(inputSide[block])
                recurrentGradients[row + block * h + j] = Float(recurrentSide[block])
                stepGradient[b * 3 * h + block * h + j] = Float(recurrentSide[block])
            }
            hiddenGradient[b * h + j] = Float(dh * update)
        }
    }
}

private func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
