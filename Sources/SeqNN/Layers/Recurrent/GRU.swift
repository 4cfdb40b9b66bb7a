import SeqTensor

/// A multi-layer, optionally bidirectional GRU over batch-first padded sequences, with
/// PyTorch's `nn.GRU(batch_first=True)` semantics and parameter names.
///
/// Each layer and direction runs as one fused op (`Tensor.gruSequence`). Layers, directions,
/// dropout and `lengths` behave exactly as in `LSTM`: padding never changes a sequence's
/// result, the reverse direction starts at each sequence's last real step, outputs at padded
/// positions are zero, and the final state is taken at each sequence's length.
///
/// Shapes: input `[batch, steps, inputSize]`; output `[batch, steps, directions · hiddenSize]`;
/// hidden state `[layers · directions, batch, hiddenSize]`, layer by layer, forward first.
/// Parameters: `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, `…_l0_reverse`,
/// `…_l1`, …, exactly as PyTorch names them. Initialisation as PyTorch: `U(-k, k)`,
/// `k = 1 / √hiddenSize`, drawn in that order.
public final class GRU: Module, CustomReflectable {
    /// One cell per layer and direction, in parameter order (layer 0 forward, layer 0 reverse,
    /// layer 1 forward, …).
    public let cells: [GRUCell]
    /// The dropout between layers, or `nil` without it.
    public let dropout: Dropout?
    /// The number of stacked layers.
    public let layerCount: Int
    /// Whether each layer also runs over the sequences in reverse.
    public let isBidirectional: Bool

    /// The size of each input vector.
    public var inputSize: Int { cells[0].inputSize }
    /// The size of each direction's hidden state.
    public var hiddenSize: Int { cells[0].hiddenSize }
    /// 2 when bidirectional, else 1.
    public var directionCount: Int { isBidirectional ? 2 : 1 }

    /// Creates the layer with parameters drawn from `generator`.
    ///
    /// - Parameters:
    ///   - inputSize: Size of each input vector.
    ///   - hiddenSize: Size of each direction's hidden state.
    ///   - layers: Number of stacked layers.
    ///   - bidirectional: Whether each layer also runs in reverse.
    ///   - dropout: Dropout probability on the outputs of all layers but the last.
    ///   - bias: Whether to learn the biases.
    ///   - generator: The source of the initial parameters and of the dropout stream.
    public init(
        inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false,
        dropout: Float = 0, bias: Bool = true, using generator: inout SeededGenerator
    ) {
        precondition(layers > 0, "GRU: needs at least one layer, got \(layers)")
        let directions = bidirectional ? 2 : 1
        cells = (0..<(layers * directions)).map { index in
            GRUCell(
                inputSize: index < directions ? inputSize : hiddenSize * directions,
                hiddenSize: hiddenSize, bias: bias, using: &generator)
        }
        self.dropout =
            dropout > 0 && layers > 1 ? Dropout(probability: dropout, using: &generator) : nil
        layerCount = layers
        isBidirectional = bidirectional
    }

    /// Runs every layer over `input`.
    ///
    /// - Parameters:
    ///   - input: Padded sequences, `[batch, steps, inputSize]`.
    ///   - initialHidden: `[layers · directions, batch, hiddenSize]`; zeros if `nil`.
    ///   - lengths: Each sequence's number of real steps, in `0...steps`; `nil` for all steps.
    /// - Returns: The last layer's output `[batch, steps, directions · hiddenSize]` (zero past
    ///   each length) and the final hidden state of every layer and direction.
    public func callAsFunction(
        _ input: Tensor, initialHidden: Tensor? = nil, lengths: [Int]? = nil
    ) -> (output: Tensor, hidden: Tensor) {
        checkStackedShapes(
            "GRU", input: input, inputSize: inputSize, state: initialHidden,
            stateCount: cells.count, hiddenSize: hiddenSize)
        let batch = input.shape[0]
        let (output, results) = runStackedLayers(
            input, layerCount: layerCount, directionCount: directionCount, dropout: dropout
        ) { x, index, reverse in
            let cell = cells[index]
            return x.gruSequence(
                initialHidden: directionState(
                    initialHidden, index: index, batch: batch, hiddenSize: hiddenSize),
                inputWeight: cell.inputWeight.value, recurrentWeight: cell.recurrentWeight.value,
                inputBias: cell.inputBias?.value, recurrentBias: cell.recurrentBias?.value,
                lengths: lengths, reverse: reverse)
        }
        return (output, stack(results.map(\.hidden), axis: 0))
    }

    /// The parameters under PyTorch's names (`weight_ih_l0`, …, `bias_hh_l1_reverse`) and the
    /// dropout layer, which is how `Module` finds and names them.
    public var customMirror: Mirror {
        var children: [(label: String?, value: Any)] = []
        for (index, cell) in cells.enumerated() {
            children += namedRecurrentParameters(
                RecurrentParameters(
                    inputWeight: cell.inputWeight, recurrentWeight: cell.recurrentWeight,
                    inputBias: cell.inputBias, recurrentBias: cell.recurrentBias),
                suffix: stackedParameterSuffix(index: index, directionCount: directionCount))
        }
        if let dropout { children.append(("dropout", dropout)) }
        return Mirror(self, children: children)
    }
}
