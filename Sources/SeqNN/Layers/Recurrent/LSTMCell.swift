import SeqTensor

/// The state an LSTM carries from one time step to the next.
///
/// Shapes: `hidden` and `cell` are both `[batch, hiddenSize]` for a cell, and
/// `[layers · directions, batch, hiddenSize]` for a stacked `LSTM`.
public struct LSTMState: Sendable {
    /// The hidden state `h`, which is also the cell's output.
    public var hidden: Tensor
    /// The memory cell `c`.
    public var cell: Tensor

    /// Creates a state from its two parts, which have the same shape.
    public init(hidden: Tensor, cell: Tensor) {
        precondition(
            hidden.shape == cell.shape,
            "LSTMState: hidden \(hidden.shape) and cell \(cell.shape) must have the same shape")
        self.hidden = hidden
        self.cell = cell
    }
}

/// One time step of a long short-term memory cell, with PyTorch's `nn.LSTMCell` layout.
///
/// The step runs as the fused op `Tensor.lstmSequence` over one time step: two GEMMs and one
/// SIMD pass for the gate math, with a fused backward.
///
/// ```
/// [i, f, g, o] = x · W_ihᵀ + b_ih + h · W_hhᵀ + b_hh     (four blocks of hiddenSize)
/// c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)
/// h' = σ(o) ⊙ tanh(c')
/// ```
///
/// Parameters are named as in PyTorch (`weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`), so a
/// PyTorch state dictionary loads by name. The gate blocks are stacked in the order input,
/// forget, cell (candidate), output.
///
/// Shapes: input `[batch, inputSize]`, state `[batch, hiddenSize]` each.
/// Initialisation: every parameter from `U(-k, k)` with `k = 1 / √hiddenSize`, drawn in the
/// order `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`, as PyTorch does.
public final class LSTMCell: Module, CustomReflectable {
    /// `W_ih`, shape `[4 · hiddenSize, inputSize]` (PyTorch's `weight_ih`).
    public let inputWeight: Parameter
    /// `W_hh`, shape `[4 · hiddenSize, hiddenSize]` (PyTorch's `weight_hh`).
    public let recurrentWeight: Parameter
    /// `b_ih`, shape `[4 · hiddenSize]` (PyTorch's `bias_ih`), or `nil` without biases.
    public let inputBias: Parameter?
    /// `b_hh`, shape `[4 · hiddenSize]` (PyTorch's `bias_hh`), or `nil` without biases.
    public let recurrentBias: Parameter?

    /// The size of each input vector.
    public var inputSize: Int { inputWeight.shape[1] }
    /// The size of the hidden and cell states.
    public var hiddenSize: Int { recurrentWeight.shape[1] }

    /// Creates the cell with parameters drawn from `generator`.
    ///
    /// - Parameters:
    ///   - inputSize: Size of each input vector.
    ///   - hiddenSize: Size of the hidden and cell states.
    ///   - bias: Whether to learn the biases `b_ih` and `b_hh`.
    ///   - generator: The source of the initial parameters.
    public init(
        inputSize: Int, hiddenSize: Int, bias: Bool = true, using generator: inout SeededGenerator
    ) {
        precondition(
            inputSize > 0 && hiddenSize > 0,
            "LSTMCell: sizes must be positive, got input \(inputSize), hidden \(hiddenSize)")
        let parameters = recurrentParameters(
            gateCount: 4, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias,
            using: &generator)
        (inputWeight, recurrentWeight) = (parameters.inputWeight, parameters.recurrentWeight)
        (inputBias, recurrentBias) = (parameters.inputBias, parameters.recurrentBias)
    }

    /// The state of all zeros for `batchSize` sequences, PyTorch's default initial state.
    public func zeroState(batchSize: Int) -> LSTMState {
        LSTMState(hidden: .zeros([batchSize, hiddenSize]), cell: .zeros([batchSize, hiddenSize]))
    }

    /// Advances `state` by one time step on `input`.
    ///
    /// - Parameters:
    ///   - input: The inputs of this step, `[batch, inputSize]`.
    ///   - state: The state after the previous step, each part `[batch, hiddenSize]`.
    /// - Returns: The new state; its `hidden` is the step's output.
    public func callAsFunction(_ input: Tensor, state: LSTMState) -> LSTMState {
        precondition(
            input.rank == 2 && input.shape[1] == inputSize
                && state.hidden.shape == [input.shape[0], hiddenSize],
            "LSTMCell: input \(input.shape) must be [batch, \(inputSize)] and state \(state.hidden.shape) [batch, \(hiddenSize)]"
        )
        var bias: Tensor? = nil
        if let inputBias, let recurrentBias { bias = inputBias.value + recurrentBias.value }
        let result = input.unsqueezed(axis: 1).lstmSequence(
            initialHidden: state.hidden, initialCell: state.cell, inputWeight: inputWeight.value,
            recurrentWeight: recurrentWeight.value, bias: bias)
        return LSTMState(hidden: result.hidden, cell: result.cell ?? result.hidden)
    }

    /// The parameters under PyTorch's names, so paths read `weight_ih`, `bias_hh`, ….
    public var customMirror: Mirror {
        Mirror(
            self,
            children: namedRecurrentParameters(
                RecurrentParameters(
                    inputWeight: inputWeight, recurrentWeight: recurrentWeight,
                    inputBias: inputBias, recurrentBias: recurrentBias),
                suffix: ""))
    }
}
