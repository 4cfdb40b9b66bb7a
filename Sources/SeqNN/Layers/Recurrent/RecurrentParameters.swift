import SeqTensor

/// The four parameters of one recurrent cell: input and recurrent weights and their biases.
struct RecurrentParameters {
    let inputWeight: Parameter
    let recurrentWeight: Parameter
    let inputBias: Parameter?
    let recurrentBias: Parameter?
}

/// Draws one cell's parameters as PyTorch does: each from `U(-k, k)`, `k = 1 / √hiddenSize`, in
/// the order `weight_ih` `[G·H, I]`, `weight_hh` `[G·H, H]`, `bias_ih` `[G·H]`, `bias_hh`.
func recurrentParameters(
    gateCount: Int, inputSize: Int, hiddenSize: Int, bias: Bool,
    using generator: inout SeededGenerator
) -> RecurrentParameters {
    let bound = 1 / Float(hiddenSize).squareRoot()
    let rows = gateCount * hiddenSize
    let inputWeight = Parameter(
        .uniform([rows, inputSize], in: -bound...bound, using: &generator))
    let recurrentWeight = Parameter(
        .uniform([rows, hiddenSize], in: -bound...bound, using: &generator))
    guard bias else {
        return RecurrentParameters(
            inputWeight: inputWeight, recurrentWeight: recurrentWeight, inputBias: nil,
            recurrentBias: nil)
    }
    let inputBias = Parameter(.uniform([rows], in: -bound...bound, using: &generator))
    let recurrentBias = Parameter(.uniform([rows], in: -bound...bound, using: &generator))
    return RecurrentParameters(
        inputWeight: inputWeight, recurrentWeight: recurrentWeight, inputBias: inputBias,
        recurrentBias: recurrentBias)
}

/// Mirror children naming `parameters` as PyTorch does, with `suffix` appended to each name
/// (`""` for a cell, `"_l0"`, `"_l1_reverse"`, … inside a multi-layer layer).
func namedRecurrentParameters(
    _ parameters: RecurrentParameters, suffix: String
) -> [(label: String?, value: Any)] {
    var children: [(label: String?, value: Any)] = [
        ("weight_ih" + suffix, parameters.inputWeight),
        ("weight_hh" + suffix, parameters.recurrentWeight),
    ]
    if let inputBias = parameters.inputBias { children.append(("bias_ih" + suffix, inputBias)) }
    if let recurrentBias = parameters.recurrentBias {
        children.append(("bias_hh" + suffix, recurrentBias))
    }
    return children
}
