import SeqNN
import SeqTensor

/// One LSTM step composed from plain tensor ops, the reference the fused op is held to.
func composedLSTMStep(_ cell: LSTMCell, _ input: Tensor, _ state: LSTMState) -> LSTMState {
    var gates =
        input.matmul(cell.inputWeight.value, transposingOther: true)
        + state.hidden.matmul(cell.recurrentWeight.value, transposingOther: true)
    if let inputBias = cell.inputBias, let recurrentBias = cell.recurrentBias {
        gates = gates + inputBias.value + recurrentBias.value
    }
    let blocks = gates.split(count: 4, axis: 1)
    let memory = blocks[1].sigmoid() * state.cell + blocks[0].sigmoid() * blocks[2].tanh()
    return LSTMState(hidden: blocks[3].sigmoid() * memory.tanh(), cell: memory)
}

/// One GRU step composed from plain tensor ops, the reference the fused op is held to.
func composedGRUStep(_ cell: GRUCell, _ input: Tensor, _ hidden: Tensor) -> Tensor {
    var fromInput = input.matmul(cell.inputWeight.value, transposingOther: true)
    var fromHidden = hidden.matmul(cell.recurrentWeight.value, transposingOther: true)
    if let inputBias = cell.inputBias, let recurrentBias = cell.recurrentBias {
        fromInput = fromInput + inputBias.value
        fromHidden = fromHidden + recurrentBias.value
    }
    let x = fromInput.split(count: 3, axis: 1)
    let h = fromHidden.split(count: 3, axis: 1)
    let reset = (x[0] + h[0]).sigmoid()
    let update = (x[1] + h[1]).sigmoid()
    let candidate = (x[2] + reset * h[2]).tanh()
    return candidate + update * (hidden - candidate)
}

/// A stacked recurrent layer run step by step with composed cells, one sequence at a time
/// (no padding), as a reference for the fused layers.
///
/// Sequence `b` of `input` `[batch, steps, features]` uses its first `lengths[b]` steps;
/// `initial` gives the initial state parts of direction `index` for sequence `b`, and `step`
/// advances one direction's state (`[1, hidden]` parts) by one input `[1, features]`.
///
/// - Returns: Per sequence, the output `[length, directions · hidden]` and every direction's
///   final state parts.
func composedStackedRun(
    _ input: Tensor, lengths: [Int], layerCount: Int, directionCount: Int,
    initial: (_ index: Int, _ b: Int) -> [Tensor],
    step: (_ index: Int, _ input: Tensor, _ state: [Tensor]) -> [Tensor]
) -> [(output: Tensor, finals: [[Tensor]])] {
    (0..<lengths.count).map { b in
        let length = lengths[b]
        var x = (0..<length).map { t in
            input.sliced(axis: 0, b..<(b + 1)).sliced(axis: 1, t..<(t + 1)).reshaped([1, -1])
        }
        var finals: [[Tensor]] = []
        for layer in 0..<layerCount {
            var directionOutputs: [[Tensor]] = []
            for direction in 0..<directionCount {
                let index = layer * directionCount + direction
                var state = initial(index, b)
                var outputs = [Tensor?](repeating: nil, count: length)
                let order = direction == 0 ? Array(0..<length) : Array((0..<length).reversed())
                for t in order {
                    state = step(index, x[t], state)
                    outputs[t] = state[0]
                }
                directionOutputs.append(outputs.compactMap { $0 })
                finals.append(state)
            }
            x = (0..<length).map { t in concatenate(directionOutputs.map { $0[t] }, axis: 1) }
        }
        return (concatenate(x, axis: 0), finals)
    }
}
