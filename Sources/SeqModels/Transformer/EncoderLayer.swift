import SeqNN
import SeqTensor

// Legend: B batch, S source positions, D model size.

/// One Transformer encoder block: self attention, then a feed-forward block, each in a
/// residual branch.
///
/// Post-norm (Vaswani and others, 2017): `x = norm(x + dropout(f(x)))`. Pre-norm (Wang and
/// others, 2019; GPT-2): `x = x + dropout(f(norm(x)))`, with the stack's final norm after the
/// last block.
///
/// Shapes: input and output `[B, S, D]`.
/// Initialisation: see `TransformerSeq2Seq`.
public final class EncoderLayer: Module {
    /// Attention of every position over every real position.
    public let selfAttention: MultiHeadAttention
    /// The norm of the self-attention branch.
    public let selfAttentionNorm: any UnaryLayer
    /// The position-wise feed-forward block.
    public let feedForward: FeedForward
    /// The norm of the feed-forward branch.
    public let feedForwardNorm: any UnaryLayer
    /// Dropout on each branch's output before it joins the residual stream.
    public let residualDropout: Dropout
    /// Pre-norm or post-norm.
    public let normalizationPosition: TransformerConfig.NormalizationPosition

    /// Creates a block with the sizes of `config`, weights drawn from `generator`.
    public init(config: TransformerConfig, using generator: inout SeededGenerator) {
        selfAttention = config.makeSelfAttention(using: &generator)
        selfAttentionNorm = config.makeNorm()
        feedForward = config.makeFeedForward(using: &generator)
        feedForwardNorm = config.makeNorm()
        residualDropout = Dropout(probability: config.dropout, using: &generator)
        normalizationPosition = config.normalizationPosition
    }

    /// Applies the block to `input`, `[B, S, D]`.
    ///
    /// - Parameters:
    ///   - input: `[B, S, D]`.
    ///   - mask: Blocks padded keys, or `nil` when no row is padded.
    /// - Returns: `[B, S, D]`.
    public func callAsFunction(_ input: Tensor, mask: AttentionMask?) -> Tensor {
        let attended = normalizationPosition.residual(
            input, norm: selfAttentionNorm, dropout: residualDropout
        ) { x in
            selfAttention(x, keys: x, values: x, mask: mask)
        }
        return normalizationPosition.residual(
            attended, norm: feedForwardNorm, dropout: residualDropout, feedForward.callAsFunction)
    }
}

extension TransformerConfig.NormalizationPosition {
    /// One residual branch: `x + dropout(f(norm(x)))` (pre) or `norm(x + dropout(f(x)))` (post).
    func residual(
        _ input: Tensor, norm: any UnaryLayer, dropout: Dropout, _ branch: (Tensor) -> Tensor
    ) -> Tensor {
        switch self {
        case .pre: input + dropout(branch(norm(input)))
        case .post: norm(input + dropout(branch(input)))
        }
    }
}
