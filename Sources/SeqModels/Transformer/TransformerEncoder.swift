import SeqNN
import SeqTensor

// Legend: B batch, S source positions, D model size.

/// A stack of `EncoderLayer`s, with a final norm when the blocks are pre-norm.
///
/// With `relative` positions the stack computes its bidirectional position bias once and
/// every block adds it to its self-attention scores.
///
/// Shapes: input and output `[B, S, D]`.
public final class TransformerEncoder: Module {
    /// The norm of the embedded input (`embeddingNorm`), or `nil`.
    public let embeddingNorm: (any UnaryLayer)?
    /// The blocks, applied in order.
    public let layers: [EncoderLayer]
    /// The norm after the last block (pre-norm only, else `nil`).
    public let finalNorm: (any UnaryLayer)?
    /// The bidirectional relative position bias (`relative` positions only, else `nil`).
    public let positionBias: RelativePositionBias?

    /// Creates `config.encoderLayerCount` blocks with weights drawn from `generator`.
    public init(config: TransformerConfig, using generator: inout SeededGenerator) {
        embeddingNorm = config.makeEmbeddingNorm()
        layers = (0..<config.encoderLayerCount).map { _ in
            EncoderLayer(config: config, using: &generator)
        }
        finalNorm = config.normalizationPosition == .pre ? config.makeNorm() : nil
        positionBias = config.makeRelativePositionBias(bidirectional: true, using: &generator)
    }

    /// Encodes `input`, `[B, S, D]`; `mask` blocks padded keys (`nil` when none are).
    public func callAsFunction(_ input: Tensor, mask: AttentionMask?) -> Tensor {
        let length = input.shape[1]
        let mask = mask.adding(positionBias, queryCount: length, keyCount: length, queryOffset: 0)
        var x = input
        for layer in layers { x = layer(x, mask: mask) }
        return finalNorm.map { $0(x) } ?? x
    }
}

extension AttentionMask? {
    /// The mask with `bias`'s relative position bias for `queryCount` queries from
    /// `queryOffset` over `keyCount` keys added, computed once for all the blocks of a stack;
    /// the mask unchanged when `bias` is `nil`.
    func adding(
        _ bias: RelativePositionBias?, queryCount: Int, keyCount: Int, queryOffset: Int
    ) -> AttentionMask? {
        guard let bias else { return self }
        let scores = AttentionMask.additive(
            bias(queryCount: queryCount, keyCount: keyCount, queryOffset: queryOffset))
        return self.map { $0.combined(with: scores) } ?? scores
    }
}
