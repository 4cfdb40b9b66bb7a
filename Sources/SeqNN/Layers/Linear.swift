import SeqTensor

/// Applies `y = x · Wᵀ + b` over the last axis.
///
/// The product reads `W` transposed in place (`matmul(_:transposingOther:)`), so no transposed
/// copy of the weight is made.
///
/// Shapes: input `[..., inputSize]`, output `[..., outputSize]`.
/// Initialisation: `W` and `b` from `U(-k, k)` with `k = 1 / √inputSize`, as PyTorch's
/// `nn.Linear` (Kaiming-uniform with `a = √5` reduces to this bound).
public final class Linear: UnaryLayer {
    /// The weight `W`, shape `[outputSize, inputSize]` (PyTorch's layout).
    public let weight: Parameter
    /// The bias `b`, shape `[outputSize]`, or `nil` when built with `bias: false`.
    public let bias: Parameter?

    /// The size of the last input axis.
    public var inputSize: Int { weight.shape[1] }
    /// The size of the last output axis.
    public var outputSize: Int { weight.shape[0] }

    /// Creates the layer with weights drawn from `generator`.
    ///
    /// - Parameters:
    ///   - inputSize: Size of the last axis of the input.
    ///   - outputSize: Size of the last axis of the output.
    ///   - bias: Whether to add a learned bias.
    ///   - generator: The source of the initial weights (the weight is drawn first).
    public init(
        inputSize: Int, outputSize: Int, bias: Bool = true,
        using generator: inout SeededGenerator
    ) {
        precondition(
            inputSize > 0 && outputSize > 0,
            "Linear: sizes must be positive, got \(inputSize) → \(outputSize)")
        let bound = 1 / Float(inputSize).squareRoot()
        weight = Parameter(
            .uniform([outputSize, inputSize], in: -bound...bound, using: &generator))
        self.bias =
            bias ? Parameter(.uniform([outputSize], in: -bound...bound, using: &generator)) : nil
    }

    /// Applies the layer to `input`, shape `[..., inputSize]`; returns `[..., outputSize]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(
            input.shape.last == inputSize,
            "Linear: input \(input.shape) must end in inputSize \(inputSize)")
        let output = input.matmul(weight.value, transposingOther: true)
        guard let bias else { return output }
        return output + bias.value
    }
}
