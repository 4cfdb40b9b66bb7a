import SeqNN
import SeqTensor

// Legend: B batch, S source positions, D model size.

/// A stack of `EncoderLayer`s, with a final norm when the blocks are pre-norm.
///
/// Shapes: input and output `[B, S, D]`.
public final class TransformerEncoder: Module {
    /// The blocks, applied in order.
    public let layers: [EncoderLayer]
    /// The norm after the last block (pre-norm only, else `nil`).
    public let finalNorm: (any UnaryLayer)?

    /// Creates `config.encoderLayerCount` blocks with weights drawn from `generator`.
    public init(config: TransformerConfig, using generator: inout SeededGenerator) {
        layers = (0..<config.encoderLayerCount).map { _ in
            EncoderLayer(config: config, using: &generator)
        }
        finalNorm = config.normalizationPosition == .pre ? config.makeNorm() : nil
    }

    /// Encodes `input`, `[B, S, D]`; `mask` blocks padded keys (`nil` when none are).
    public func callAsFunction(_ input: Tensor, mask: AttentionMask?) -> Tensor {
        var x = input
        for layer in layers { x = layer(x, mask: mask) }
        return finalNorm.map { $0(x) } ?? x
    }
}
