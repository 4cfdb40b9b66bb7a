import SeqTensor

/// One time step of a gated recurrent unit, with PyTorch's `nn.GRUCell` layout.
///
/// The step runs as the fused op `Tensor.gruSequence` over one time step: two GEMMs and one
/// SIMD pass for the gate math, with a fused backward.
///
/// ```
/// [x_r, x_z, x_n] = x · W_ihᵀ + b_ih      [h_r, h_z, h_n] = h · W_hhᵀ + b_hh
/// r = σ(x_r + h_r)    z = σ(x_z + h_z)    n = tanh(x_n + r ⊙ h_n)
/// h' = (1 − z) ⊙ n + z ⊙ h
/// ```
///
/// Parameters are named as in PyTorch (`weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`), so a
/// PyTorch state dictionary loads by name. The gate blocks are stacked in the order reset,
/// update, new.
///
/// Shapes: input `[batch, inputSize]`, hidden state `[batch, hiddenSize]`.
/// Initialisation: every parameter from `U(-k, k)` with `k = 1 / √hiddenSize`, drawn in the
/// order `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`, as PyTorch does.
public final class GRUCell: Module, CustomReflectable {
    /// `W_ih`, shape `[3 · hiddenSize, inputSize]` (PyTorch's `weight_ih`).
    public let inputWeight: Parameter
    /// `W_hh`, shape `[3 · hiddenSize, hiddenSize]` (PyTorch's `weight_hh`).
    public let recurrentWeight: Parameter
    /// `b_ih`, shape `[3 · hiddenSize]` (PyTorch's `bias_ih`), or `nil` without biases.
    public let inputBias: Parameter?
    /// `b_hh`, shape `[3 · hiddenSize]` (PyTorch's `bias_hh`), or `nil` without biases.
    public let recurrentBias: Parameter?

    /// The size of each input vector.
    public var inputSize: Int { inputWeight.shape[1] }
    /// The size of the hidden state.
    public var hiddenSize: Int { recurrentWeight.shape[1] }

    /// Creates the cell with parameters drawn from `generator`.
    ///
    /// - Parameters:
    ///   - inputSize: Size of each input vector.
    ///   - hiddenSize: Size of the hidden state.
    ///   - bias: Whether to learn the biases `b_ih` and `b_hh`.
    ///   - generator: The source of the initial parameters.
    public init(
        inputSize: Int, hiddenSize: Int, bias: Bool = true, using generator: inout SeededGenerator
    ) {
        precondition(
            inputSize > 0 && hiddenSize > 0,
            "GRUCell: sizes must be positive, got input \(inputSize), hidden \(hiddenSize)")
        let parameters = recurrentParameters(
            gateCount: 3, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias,
            using: &generator)
        (inputWeight, recurrentWeight) = (parameters.inputWeight, parameters.recurrentWeight)
        (inputBias, recurrentBias) = (parameters.inputBias, parameters.recurrentBias)
    }

    /// The hidden state of all zeros for `batchSize` sequences, `[batchSize, hiddenSize]`.
    public func zeroState(batchSize: Int) -> Tensor { .zeros([batchSize, hiddenSize]) }

    /// Advances `hidden` by one time step on `input`.
    ///
    /// - Parameters:
    ///   - input: The inputs of this step, `[batch, inputSize]`.
    ///   - hidden: The hidden state after the previous step, `[batch, hiddenSize]`.
    /// - Returns: The new hidden state, `[batch, hiddenSize]`, which is also the step's output.
    public func callAsFunction(_ input: Tensor, hidden: Tensor) -> Tensor {
        precondition(
            input.rank == 2 && input.shape[1] == inputSize
                && hidden.shape == [input.shape[0], hiddenSize],
            "GRUCell: input \(input.shape) must be [batch, \(inputSize)] and hidden \(hidden.shape) [batch, \(hiddenSize)]"
        )
        return input.unsqueezed(axis: 1).gruSequence(
            initialHidden: hidden, inputWeight: inputWeight.value,
            recurrentWeight: recurrentWeight.value, inputBias: inputBias?.value,
            recurrentBias: recurrentBias?.value
        ).hidden
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
