import SeqNN
import SeqTensor

// Legend: B batch, T positions, D model size, V vocabulary.

/// A decoder-only Transformer that reads "source, separator, target" as one sequence (GPT;
/// as a prefix LM, T5's and UniLM's).
///
/// The blocks are `DecoderLayer`s without cross attention. Attention is causal, except that
/// with prefix lengths the first `prefixLengths[b]` positions of row `b` (the source and
/// separator) attend to each other in both directions; positions after the prefix attend
/// causally, so target tokens never affect earlier positions. Embeddings, positions, norms,
/// tying and initialisation are as in `TransformerSeq2Seq`, over the one vocabulary
/// `vocabularySize` (`sourceVocabularySize`, `sharedEmbeddings` and `encoderLayerCount` are
/// ignored).
///
/// Sequences are laid out by `trainingBatch(sources:targets:)`:
/// `source + [separatorID] + [startID] + target`, predicting `target + [endID]` from the
/// `startID` position on.
///
/// Shapes: sequences `[B, T]` as a `TokenBatch`; logits `[B, T, V]`.
public final class TransformerLM: TransformerModel {
    /// The token table, `[V, D]`.
    public let embedding: Embedding
    /// Learned positions, or `nil` for rotary and sinusoidal positions.
    public let positions: LearnedPositionalEmbedding?
    /// The blocks, without cross attention.
    public let decoder: TransformerDecoder
    /// The `[D → V]` output projection, or `nil` when tied to `embedding`.
    public let outputProjection: Linear?
    /// The bias `[V]` added to the logits (`finalLogitsBias`), or `nil`.
    public let finalLogitsBias: Parameter?
    /// Dropout on the embedded input.
    public let embeddingDropout: Dropout
    /// The config the model was built from.
    public let config: TransformerConfig
    /// The sine/cosine signal, for sinusoidal positions.
    private let sinusoid: SinusoidalPositionalEncoding?

    /// `.languageModel`.
    public static let architecture = TransformerArchitecture.languageModel

    /// Builds the model described by `config`, with initial weights drawn from `generator`.
    ///
    /// Traps with the `ConfigError` message if `config` is invalid.
    public init(config: TransformerConfig, using generator: inout SeededGenerator) {
        config.checkValid(for: "TransformerLM")
        self.config = config
        embedding = config.makeEmbedding(vocabularySize: config.vocabularySize, using: &generator)
        positions = config.makeLearnedPositions(using: &generator)
        sinusoid = config.makeSinusoid()
        decoder = TransformerDecoder(config: config, crossAttention: false, using: &generator)
        outputProjection = config.makeOutputProjection(using: &generator)
        finalLogitsBias = config.makeFinalLogitsBias()
        embeddingDropout = Dropout(probability: config.dropout, using: &generator)
        initializeBlockProjections(of: self, using: &generator)
    }

    /// The output projection's weight, `[V, D]`: `outputProjection` or the tied table.
    public var outputWeight: Tensor { (outputProjection?.weight ?? embedding.weight).value }

    /// The logits `[..., V]` of decoder outputs `[..., D]`:
    /// `(outputScale · hidden) · outputWeightᵀ + finalLogitsBias`.
    public func projectedLogits(_ hidden: Tensor) -> Tensor {
        vocabularyLogits(
            hidden, weight: outputWeight, bias: finalLogitsBias, scale: config.outputScale)
    }

    /// The ids that precede the target for `source`: `source + [separatorID]`, or `source`
    /// alone without a separator.
    public func prefix(source: [Int32]) -> [Int32] {
        config.separatorID.map { source + [$0] } ?? source
    }

    /// Sequences, targets and prefix lengths for training on source–target pairs.
    ///
    /// Row `b` reads `prefix(source:) + [startID] + target` and predicts `target + [endID]`
    /// from its `startID` position on; prefix positions have the target `padID` (no loss).
    ///
    /// - Returns: `sequences` and `targets`, both `[B, T]` and padded with `padID`, and
    ///   the prefix lengths to pass to `loss` when `config.bidirectionalPrefix` is on.
    public func trainingBatch(sources: [[Int32]], targets: [[Int32]]) -> (
        sequences: TokenBatch, targets: TokenBatch, prefixLengths: [Int]
    ) {
        precondition(
            sources.count == targets.count,
            "TransformerLM.trainingBatch: \(sources.count) sources for \(targets.count) targets")
        let prefixes = sources.map(prefix(source:))
        let sequences = zip(prefixes, targets).map { $0 + [config.startID] + $1 }
        let outputs = zip(prefixes, targets).map {
            Array(repeating: config.padID, count: $0.count) + $1 + [config.endID]
        }
        return (
            TokenBatch(rows: sequences, padID: config.padID),
            TokenBatch(rows: outputs, padID: config.padID), prefixes.map(\.count)
        )
    }

    /// The logits at every position of right-padded `sequences`.
    ///
    /// - Parameters:
    ///   - sequences: Ids `[B, T]`.
    ///   - prefixLengths: For each row, how many leading positions attend bidirectionally
    ///     (at most the row's length), or `nil` for a purely causal model.
    /// - Returns: Logits `[B, T, V]`; position `t` predicts the token at `t + 1`.
    public func logits(sequences: TokenBatch, prefixLengths: [Int]? = nil) -> Tensor {
        projectedLogits(hiddenStates(sequences, prefixLengths: prefixLengths))
    }

    /// The cross-entropy of `targets` given `sequences`, over positions whose target is not
    /// `padID`; only those positions are projected onto the vocabulary.
    ///
    /// - Parameters:
    ///   - sequences: Ids `[B, T]`, as from `trainingBatch(sources:targets:)`.
    ///   - targets: Ids `[B, T]`: the next token, or `padID` for no loss.
    ///   - prefixLengths: Bidirectional prefix lengths, or `nil` for causal attention.
    ///   - labelSmoothing: `ε` in `0...1`.
    ///   - reduction: `.mean` (default), `.sum`, or `.none` (one loss per target token).
    /// - Returns: A scalar, or the per-token losses for `.none`.
    public func loss(
        sequences: TokenBatch, targets: TokenBatch, prefixLengths: [Int]? = nil,
        labelSmoothing: Float = 0, reduction: Reduction = .mean
    ) -> Tensor {
        precondition(
            sequences.shape == targets.shape,
            "TransformerLM.loss: sequences \(sequences.shape) and targets \(targets.shape) differ")
        let hidden = hiddenStates(sequences, prefixLengths: prefixLengths)
        return targetLoss(
            hidden: config.outputScale == 1 ? hidden : hidden * config.outputScale,
            targets: targets.ids, outputWeight: outputWeight, outputBias: finalLogitsBias?.value,
            padID: config.padID, labelSmoothing: labelSmoothing, reduction: reduction)
    }

    /// The embedded input for ids `[B, T]` whose rows start at positions `offsets`.
    func input(_ ids: [Int32], shape: [Int], offsets: [Int]) -> Tensor {
        let input = InputEmbedding(
            table: embedding, scale: config.effectiveEmbeddingScale, learned: positions,
            sinusoid: sinusoid, norm: decoder.embeddingNorm, dropout: embeddingDropout)
        return input(ids, shape: shape, offsets: offsets)
    }

    /// The decoder output `[B, T, D]`.
    private func hiddenStates(_ sequences: TokenBatch, prefixLengths: [Int]?) -> Tensor {
        let x = input(
            sequences.ids, shape: sequences.shape,
            offsets: Array(repeating: 0, count: sequences.rowCount))
        var caches = [KeyValueCache?](repeating: nil, count: decoder.layers.count)
        let mask: AttentionMask?
        if let prefixLengths {
            precondition(
                prefixLengths.count == sequences.rowCount
                    && zip(prefixLengths, sequences.lengths).allSatisfy { 0 <= $0 && $0 <= $1 },
                "TransformerLM: prefix lengths \(prefixLengths) must lie within lengths \(sequences.lengths)"
            )
            mask = prefixMask(
                prefixLengths: prefixLengths, lengths: sequences.lengths, length: sequences.length)
        } else {
            // Right padding follows the real tokens, so the causal mask alone keeps it unseen.
            mask = causalMask(length: sequences.length)
        }
        return decoder(x, selfMask: mask, caches: &caches, memory: nil, memoryMask: nil)
    }
}

/// The additive `[B, 1, T, T]` prefix-LM mask: in row `b`, query `i` sees key `j` when
/// `j < lengths[b]` and either `j ≤ i` or `j < prefixLengths[b]`.
private func prefixMask(prefixLengths: [Int], lengths: [Int], length: Int) -> AttentionMask {
    var scores = [Float](repeating: 0, count: lengths.count * length * length)
    for row in lengths.indices {
        for query in 0..<length {
            let base = (row * length + query) * length
            for key in 0..<length {
                let visible = key < lengths[row] && (key <= query || key < prefixLengths[row])
                if !visible { scores[base + key] = AttentionMask.blockedScore }
            }
        }
    }
    return .additive(Tensor(shape: [lengths.count, 1, length, length], scalars: scores))
}
