import SeqNN
import SeqTensor

// Legend: B batch, T new target positions, S source positions, D model size.

/// One Transformer decoder block: causal self attention, cross attention over the encoder
/// output (left out in decoder-only models), then a feed-forward block, each in a residual
/// branch (pre- or post-norm, as `EncoderLayer`).
///
/// The same call serves teacher forcing (all positions at once, starting from an empty cache)
/// and incremental decoding (a few new positions appended to the cache): the self-attention
/// keys and values of the new positions are appended to `cache`, and rotary positions start
/// at the cache length.
///
/// Shapes: input and output `[B, T, D]`; cross-attention keys and values `[B, Hkv, S, E]`.
/// Initialisation: see `TransformerSeq2Seq`.
public final class DecoderLayer: Module {
    /// Attention over the positions so far (causal).
    public let selfAttention: MultiHeadAttention
    /// The norm of the self-attention branch.
    public let selfAttentionNorm: any UnaryLayer
    /// Attention over the encoder output, or `nil` in a decoder-only model.
    public let crossAttention: MultiHeadAttention?
    /// The norm of the cross-attention branch, or `nil` in a decoder-only model.
    public let crossAttentionNorm: (any UnaryLayer)?
    /// The position-wise feed-forward block.
    public let feedForward: FeedForward
    /// The norm of the feed-forward branch.
    public let feedForwardNorm: any UnaryLayer
    /// Dropout on each branch's output before it joins the residual stream.
    public let residualDropout: Dropout
    /// Pre-norm or post-norm.
    public let normalizationPosition: TransformerConfig.NormalizationPosition

    /// Creates a block with the sizes of `config`, weights drawn from `generator`.
    ///
    /// - Parameters:
    ///   - config: The sizes and choices.
    ///   - crossAttention: Whether the block attends to an encoder output.
    ///   - generator: The source of the initial weights and of the dropout streams.
    public init(
        config: TransformerConfig, crossAttention: Bool, using generator: inout SeededGenerator
    ) {
        selfAttention = config.makeSelfAttention(using: &generator)
        selfAttentionNorm = config.makeNorm()
        self.crossAttention = crossAttention ? config.makeCrossAttention(using: &generator) : nil
        crossAttentionNorm = crossAttention ? config.makeNorm() : nil
        feedForward = config.makeFeedForward(using: &generator)
        feedForwardNorm = config.makeNorm()
        residualDropout = Dropout(probability: config.dropout, using: &generator)
        normalizationPosition = config.normalizationPosition
    }

    /// Applies the block to new positions, appending their keys and values to `cache`.
    ///
    /// - Parameters:
    ///   - input: The new positions, `[B, T, D]`.
    ///   - selfMask: Blocked pairs over all `cache.length + T` keys (causal for teacher
    ///     forcing), or `nil` to let each new position see every cached one.
    ///   - cache: This block's self-attention keys and values so far; `nil` to start empty.
    ///   - memory: The encoder output projected by this block's cross attention
    ///     (`projectedMemory(_:)`); must be `nil` exactly when there is no cross attention.
    ///   - memoryMask: Blocks padded source positions, or `nil`.
    /// - Returns: `[B, T, D]`.
    public func callAsFunction(
        _ input: Tensor, selfMask: AttentionMask?, cache: inout KeyValueCache?,
        memory: KeyValueCache?, memoryMask: AttentionMask?
    ) -> Tensor {
        let position = normalizationPosition
        var x = position.residual(input, norm: selfAttentionNorm, dropout: residualDropout) {
            selfAttention($0, keys: $0, values: $0, mask: selfMask, cache: &cache)
        }
        switch (crossAttention, crossAttentionNorm, memory) {
        case (let attention?, let norm?, let memory?):
            x = position.residual(x, norm: norm, dropout: residualDropout) {
                attention($0, keyValues: memory, mask: memoryMask)
            }
        case (nil, nil, nil): break
        default:
            preconditionFailure(
                "DecoderLayer: memory must be given exactly when the block has cross attention")
        }
        return position.residual(
            x, norm: feedForwardNorm, dropout: residualDropout, feedForward.callAsFunction)
    }

    /// Appends the self-attention keys and values of `input`, `[B, T, D]`, to `cache` without
    /// computing the block's output.
    ///
    /// For the last block of a prompt, whose outputs nothing reads.
    public func appendKeyValues(of input: Tensor, to cache: inout KeyValueCache?) {
        let x = normalizationPosition == .pre ? selfAttentionNorm(input) : input
        let new = selfAttention.projectedKeyValues(keys: x, values: x, offset: cache?.length ?? 0)
        if cache == nil { cache = new } else { cache?.append(keys: new.keys, values: new.values) }
    }

    /// The encoder output `[B, S, D]` projected into this block's cross-attention keys and
    /// values, `[B, Hkv, S, E]` each; computed once per source.
    public func projectedMemory(_ memory: Tensor) -> KeyValueCache {
        guard let crossAttention else {
            preconditionFailure("DecoderLayer: projectedMemory on a block without cross attention")
        }
        return crossAttention.projectedKeyValues(keys: memory, values: memory)
    }
}
