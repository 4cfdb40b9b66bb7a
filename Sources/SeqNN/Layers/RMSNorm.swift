import SeqTensor

/// Root-mean-square normalisation over the last axis (Zhang & Sennrich 2019), as in T5 and
/// LLaMA.
///
/// `y = x / √(mean(x²) + ε) · γ`; no mean is subtracted and there is no shift.
///
/// Shapes: input and output `[..., size]`.
/// Initialisation: `γ = 1`.
public final class RMSNorm: UnaryLayer {
    /// The scale `γ`, shape `[size]`.
    public let weight: Parameter
    /// The `ε` added to the mean square.
    public let epsilon: Float

    /// The size of the normalised (last) axis.
    public var size: Int { weight.shape[0] }

    /// Creates a layer normalising vectors of `size` elements.
    ///
    /// - Parameters:
    ///   - size: The size of the last axis.
    ///   - epsilon: Added to the mean square; `1e-6` as in LLaMA and T5.
    public init(size: Int, epsilon: Float = 1e-6) {
        precondition(size > 0, "RMSNorm: size must be positive, got \(size)")
        weight = Parameter(.ones([size]))
        self.epsilon = epsilon
    }

    /// Normalises `input`, shape `[..., size]`, over its last axis.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(
            input.shape.last == size, "RMSNorm: input \(input.shape) must end in size \(size)")
        return input.rmsNormalized(weight: weight.value, epsilon: epsilon)
    }
}
