import SeqNN
import SeqTensor

// Legend: B batch, T new positions, S source positions, D model size.

/// A stack of `DecoderLayer`s, with a final norm when the blocks are pre-norm; with cross
/// attention for `TransformerSeq2Seq`, without for `TransformerLM`.
///
/// With `relative` positions the stack computes its causal position bias once per call, for
/// the new positions after those cached, and every block adds it to its self-attention scores.
///
/// Shapes: input and output `[B, T, D]`.
public final class TransformerDecoder: Module {
    /// The norm of the embedded input (`embeddingNorm`), or `nil`.
    public let embeddingNorm: (any UnaryLayer)?
    /// The blocks, applied in order.
    public let layers: [DecoderLayer]
    /// The norm after the last block (pre-norm only, else `nil`).
    public let finalNorm: (any UnaryLayer)?
    /// The causal relative position bias (`relative` positions only, else `nil`).
    public let positionBias: RelativePositionBias?

    /// Creates `config.decoderLayerCount` blocks with weights drawn from `generator`.
    ///
    /// - Parameters:
    ///   - config: The sizes and choices.
    ///   - crossAttention: Whether the blocks attend to an encoder output.
    ///   - generator: The source of the initial weights and of the dropout streams.
    public init(
        config: TransformerConfig, crossAttention: Bool, using generator: inout SeededGenerator
    ) {
        embeddingNorm = config.makeEmbeddingNorm()
        layers = (0..<config.decoderLayerCount).map { _ in
            DecoderLayer(config: config, crossAttention: crossAttention, using: &generator)
        }
        finalNorm = config.normalizationPosition == .pre ? config.makeNorm() : nil
        positionBias = config.makeRelativePositionBias(bidirectional: false, using: &generator)
    }

    /// `selfMask` with the position bias of `count` new positions after `caches`' added.
    private func selfMask(
        _ selfMask: AttentionMask?, newPositions count: Int, caches: [KeyValueCache?]
    ) -> AttentionMask? {
        let cached = caches.first.flatMap { $0?.length } ?? 0
        return selfMask.adding(
            positionBias, queryCount: count, keyCount: cached + count, queryOffset: cached)
    }

    /// Runs new positions through every block, extending each block's cache.
    ///
    /// - Parameters:
    ///   - input: The new positions, `[B, T, D]`.
    ///   - selfMask: Blocked pairs over each block's `cache.length + T` keys, or `nil`.
    ///   - caches: One self-attention cache per block (`nil` entries start empty).
    ///   - memory: Per block, the encoder output projected by `projectedMemory(_:)`, or `nil`
    ///     without cross attention.
    ///   - memoryMask: Blocks padded source positions, or `nil`.
    /// - Returns: `[B, T, D]`, after the final norm.
    public func callAsFunction(
        _ input: Tensor, selfMask: AttentionMask?, caches: inout [KeyValueCache?],
        memory: [KeyValueCache]?, memoryMask: AttentionMask?
    ) -> Tensor {
        precondition(
            caches.count == layers.count && (memory?.count ?? layers.count) == layers.count,
            "TransformerDecoder: \(caches.count) caches for \(layers.count) layers")
        let selfMask = self.selfMask(selfMask, newPositions: input.shape[1], caches: caches)
        var x = input
        for (index, layer) in layers.enumerated() {
            x = layer(
                x, selfMask: selfMask, cache: &caches[index], memory: memory?[index],
                memoryMask: memoryMask)
        }
        return finalNorm.map { $0(x) } ?? x
    }

    /// Fills each block's cache with the keys and values of `input`, `[B, T, D]`, skipping
    /// the work whose only use would be the outputs (the last block past its projections).
    ///
    /// - Parameters:
    ///   - input: The prompt positions, `[B, T, D]`.
    ///   - selfMask: Blocked pairs over each block's `cache.length + T` keys, or `nil`.
    ///   - caches: One self-attention cache per block, extended in place.
    public func prefill(_ input: Tensor, selfMask: AttentionMask?, caches: inout [KeyValueCache?]) {
        precondition(
            caches.count == layers.count,
            "TransformerDecoder: \(caches.count) caches for \(layers.count) layers")
        let selfMask = self.selfMask(selfMask, newPositions: input.shape[1], caches: caches)
        var x = input
        for (index, layer) in layers.enumerated() {
            if index == layers.count - 1 {
                layer.appendKeyValues(of: x, to: &caches[index])
            } else {
                x = layer(
                    x, selfMask: selfMask, cache: &caches[index], memory: nil, memoryMask: nil)
            }
        }
    }

    /// The encoder output `[B, S, D]` projected once per block for cross attention.
    public func projectedMemory(_ memory: Tensor) -> [KeyValueCache] {
        layers.map { $0.projectedMemory(memory) }
    }
}
