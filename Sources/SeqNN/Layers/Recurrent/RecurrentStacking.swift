import SeqTensor

/// Runs stacked recurrent layers: each layer's directions read the previous layer's output
/// (directions concatenated along the features, forward first), with dropout between layers.
///
/// - Parameters:
///   - input: `[batch, steps, features]`.
///   - layerCount: The number of layers.
///   - directionCount: 1, or 2 for bidirectional layers.
///   - dropout: Applied to the output of every layer but the last, or `nil`.
///   - run: Runs direction `index` (`layer · directionCount + direction`) on its input; the
///     second direction of a layer runs in reverse.
/// - Returns: The last layer's output and every direction's result in `index` order.
func runStackedLayers(
    _ input: Tensor, layerCount: Int, directionCount: Int, dropout: Dropout?,
    _ run: (_ input: Tensor, _ index: Int, _ reverse: Bool) -> RecurrentSequenceResult
) -> (output: Tensor, results: [RecurrentSequenceResult]) {
    var x = input
    var results: [RecurrentSequenceResult] = []
    for layer in 0..<layerCount {
        let outputs = (0..<directionCount).map { direction in
            let result = run(x, layer * directionCount + direction, direction == 1)
            results.append(result)
            return result.output
        }
        x = outputs.count == 1 ? outputs[0] : concatenate(outputs, axis: 2)
        if layer < layerCount - 1, let dropout { x = dropout(x) }
    }
    return (x, results)
}

/// The state of direction `index` from a stacked `[layers · directions, batch, hidden]` state,
/// or zeros `[batch, hidden]` when there is none.
func directionState(_ stacked: Tensor?, index: Int, batch: Int, hiddenSize: Int) -> Tensor {
    guard let stacked else { return .zeros([batch, hiddenSize]) }
    return stacked.sliced(axis: 0, index..<(index + 1)).reshaped([batch, hiddenSize])
}

/// Traps unless `input` is `[batch, steps, inputSize]` and `state`, when given, is
/// `[stateCount, batch, hiddenSize]`.
func checkStackedShapes(
    _ layer: String, input: Tensor, inputSize: Int, state: Tensor?, stateCount: Int,
    hiddenSize: Int
) {
    precondition(
        input.rank == 3 && input.shape[2] == inputSize,
        "\(layer): input \(input.shape) must be [batch, steps, \(inputSize)]")
    guard let state else { return }
    precondition(
        state.shape == [stateCount, input.shape[0], hiddenSize],
        "\(layer): initial state \(state.shape) must be [\(stateCount), \(input.shape[0]), \(hiddenSize)]"
    )
}

/// PyTorch's suffix for the parameters of direction `index`: `_l0`, `_l0_reverse`, `_l1`, ….
func stackedParameterSuffix(index: Int, directionCount: Int) -> String {
    "_l\(index / directionCount)" + (index % directionCount == 1 ? "_reverse" : "")
}
