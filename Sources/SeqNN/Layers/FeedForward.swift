import SeqTensor

/// The position-wise feed-forward block of a Transformer.
///
/// - `relu`, `gelu`, `geluTanh`, `silu`: `down(dropout(σ(up(x))))` (Vaswani et al. 2017;
///   BERT/GPT-2 use GELU, Marian SiLU).
/// - `swiGLU`: `down(dropout(silu(gate(x)) ⊙ up(x)))`, the gated unit of LLaMA's `MLP`
///   (Shazeer 2020), with a third projection `gate`; `gatedGeluTanh` is the same with the tanh
///   GELU in place of SiLU (T5 v1.1's `gated-gelu`).
///
/// Shapes: input and output `[..., modelSize]`; the hidden activations are
/// `[..., feedForwardSize]`.
/// Initialisation: each projection is a `Linear` (PyTorch's `U(-k, k)`, `k = 1/√fan_in`), drawn
/// in the order `gate` (gated activations only), `up`, `down`.
public final class FeedForward: UnaryLayer {
    /// The non-linearity between the two (or three) projections.
    public enum Activation: String, Codable, Sendable, CaseIterable {
        /// `max(0, x)`.
        case relu
        /// The exact GELU, `x · Φ(x)`.
        case gelu
        /// GELU's tanh approximation, as in GPT-2 and PyTorch's `approximate="tanh"`.
        case geluTanh
        /// `silu(gate(x)) ⊙ up(x)`, LLaMA's gated unit; adds the `gate` projection.
        case swiGLU
        /// `x · sigmoid(x)` (SiLU, "swish"), as in Marian.
        case silu
        /// `geluTanh(gate(x)) ⊙ up(x)` (GEGLU with the tanh GELU, T5 v1.1's `gated-gelu`); adds
        /// the `gate` projection.
        case gatedGeluTanh

        /// Whether the activation multiplies by a third projection, `gate`.
        public var isGated: Bool { self == .swiGLU || self == .gatedGeluTanh }
    }

    /// The gating projection `[modelSize → feedForwardSize]`; only for gated activations, else
    /// `nil`.
    public let gate: Linear?
    /// The projection into the hidden size, `[modelSize → feedForwardSize]`.
    public let up: Linear
    /// The projection back to the model size, `[feedForwardSize → modelSize]`.
    public let down: Linear
    /// Dropout on the hidden activations, before `down`.
    public let dropout: Dropout
    /// The non-linearity.
    public let activation: Activation

    /// Creates the block with projections drawn from `generator`.
    ///
    /// - Parameters:
    ///   - modelSize: Size of the input and output vectors.
    ///   - feedForwardSize: Size of the hidden layer.
    ///   - activation: The non-linearity; gated ones add a third projection.
    ///   - bias: Whether the projections have biases (LLaMA's SwiGLU has none).
    ///   - dropout: Dropout probability on the hidden activations.
    ///   - generator: The source of the initial weights and of the dropout stream.
    public init(
        modelSize: Int, feedForwardSize: Int, activation: Activation = .relu,
        bias: Bool = true, dropout: Float = 0, using generator: inout SeededGenerator
    ) {
        precondition(
            modelSize > 0 && feedForwardSize > 0,
            "FeedForward: sizes must be positive, got \(modelSize) → \(feedForwardSize)")
        gate =
            activation.isGated
            ? Linear(
                inputSize: modelSize, outputSize: feedForwardSize, bias: bias, using: &generator)
            : nil
        up = Linear(
            inputSize: modelSize, outputSize: feedForwardSize, bias: bias, using: &generator)
        down = Linear(
            inputSize: feedForwardSize, outputSize: modelSize, bias: bias, using: &generator)
        self.dropout = Dropout(probability: dropout, using: &generator)
        self.activation = activation
    }

    /// Applies the block to `input`, shape `[..., modelSize]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let hidden: Tensor  // [..., feedForwardSize]
        switch activation {
        case .relu: hidden = up(input).relu()
        case .gelu: hidden = up(input).gelu(approximation: .none)
        case .geluTanh: hidden = up(input).gelu(approximation: .tanh)
        case .silu: hidden = up(input).silu()
        case .swiGLU, .gatedGeluTanh:
            guard let gate else { preconditionFailure("FeedForward: \(activation) without a gate") }
            let gated =
                activation == .swiGLU ? gate(input).silu() : gate(input).gelu(approximation: .tanh)
            hidden = gated * up(input)
        }
        return down(dropout(hidden))
    }
}
