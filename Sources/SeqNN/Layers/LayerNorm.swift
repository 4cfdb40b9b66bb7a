import SeqTensor

/// Layer normalisation over the last axis, as PyTorch's `nn.LayerNorm`.
///
/// From Ba, Kiros and Hinton (2016).
/// `y = (x − mean(x)) / √(var(x) + ε) · γ + β`, with the biased variance over the last axis.
///
/// Shapes: input and output `[..., size]`.
/// Initialisation: `γ = 1`, `β = 0`.
public final class LayerNorm: UnaryLayer {
    /// The scale `γ`, shape `[size]`.
    public let weight: Parameter
    /// The shift `β`, shape `[size]`, or `nil` when built with `bias: false`.
    public let bias: Parameter?
    /// The `ε` added to the variance.
    public let epsilon: Float

    /// The size of the normalised (last) axis.
    public var size: Int { weight.shape[0] }

    /// Creates a layer normalising vectors of `size` elements.
    ///
    /// - Parameters:
    ///   - size: The size of the last axis.
    ///   - epsilon: Added to the variance for stability; PyTorch's default is `1e-5`.
    ///   - bias: Whether to learn the shift `β`.
    public init(size: Int, epsilon: Float = 1e-5, bias: Bool = true) {
        precondition(size > 0, "LayerNorm: size must be positive, got \(size)")
        weight = Parameter(.ones([size]))
        self.bias = bias ? Parameter(.zeros([size])) : nil
        self.epsilon = epsilon
    }

    /// Normalises `input`, shape `[..., size]`, over its last axis.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(
            input.shape.last == size, "LayerNorm: input \(input.shape) must end in size \(size)")
        return input.layerNormalized(weight: weight.value, bias: bias?.value, epsilon: epsilon)
    }
}
