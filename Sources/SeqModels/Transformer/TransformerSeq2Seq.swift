import SeqNN
import SeqTensor

// Legend: B batch, S source positions, T target positions, D model size, V target vocabulary.

/// An encoder–decoder Transformer ("Attention Is All You Need", Vaswani and others, 2017).
///
/// The encoder reads the source once; the decoder attends causally over the target so far and
/// across to the encoder output. Positions, norms, sharing and tying follow the config:
/// - embeddings: `dropout(scale · table[ids] + positions)`; rotary positions act inside self
///   attention instead (never in cross attention);
/// - `sharedEmbeddings`: one table, `targetEmbedding`, for both sides (`sourceEmbedding` is
///   `nil`);
/// - `tiedOutputProjection`: logits `= hidden · targetEmbeddingᵀ`, without an
///   `outputProjection`; the hidden states are first multiplied by `outputScale` (T5), and
///   `finalLogitsBias` adds a learned bias (Marian, BART);
/// - `embeddingNorm`: each stack normalises its embedded input (BART);
/// - `relative` positions: each stack adds its `RelativePositionBias` to every block's self
///   attention scores (T5).
///
/// Padding never changes the results for real tokens: padded source keys are blocked in
/// every attention, and padded targets only follow real ones.
///
/// Shapes: sources `[B, S]` and targets `[B, T]` as `TokenBatch`es; logits `[B, T, V]`.
/// Initialisation (fairseq's): projections Xavier-uniform with zero biases (queries, keys,
/// values with gain `1/√2`); token embeddings and an untied output projection
/// `N(0, 1/√D)` with the `padID` row zero; learned positions `N(0, 1/√D)`; norms `1, 0`.
///
/// ```swift
/// var rng = SeededGenerator(seed: 0)
/// let model = TransformerSeq2Seq(config: config, using: &rng)
/// let (inputs, outputs) = TokenBatch.teacherForcing(
///     targets: targets, startID: config.startID, endID: config.endID, padID: config.padID)
/// let loss = model.loss(
///     sources: TokenBatch(rows: sources, padID: config.padID), targetInputs: inputs,
///     targetOutputs: outputs)
/// ```
public final class TransformerSeq2Seq: TransformerModel {
    /// The source token table, or `nil` when `sharedEmbeddings` uses `targetEmbedding`.
    public let sourceEmbedding: Embedding?
    /// The target token table (also the source's when shared), `[V, D]`.
    public let targetEmbedding: Embedding
    /// Learned source positions, or `nil` for rotary and sinusoidal positions.
    public let sourcePositions: LearnedPositionalEmbedding?
    /// Learned target positions, or `nil` for rotary and sinusoidal positions.
    public let targetPositions: LearnedPositionalEmbedding?
    /// The encoder blocks.
    public let encoder: TransformerEncoder
    /// The decoder blocks, with cross attention.
    public let decoder: TransformerDecoder
    /// The `[D → V]` output projection, or `nil` when tied to `targetEmbedding`.
    public let outputProjection: Linear?
    /// The bias `[V]` added to the logits (`finalLogitsBias`), or `nil`.
    public let finalLogitsBias: Parameter?
    /// Dropout on the embedded inputs of both stacks.
    public let embeddingDropout: Dropout
    /// The config the model was built from.
    public let config: TransformerConfig
    /// The sine/cosine signal, for sinusoidal positions.
    private let sinusoid: SinusoidalPositionalEncoding?

    /// `.seq2seq`.
    public static let architecture = TransformerArchitecture.seq2seq

    /// Builds the model described by `config`, with initial weights drawn from `generator`.
    ///
    /// Traps with the `ConfigError` message if `config` is invalid (see
    /// `TransformerConfig.validate()`).
    public init(config: TransformerConfig, using generator: inout SeededGenerator) {
        config.checkValid(for: "TransformerSeq2Seq")
        self.config = config
        targetEmbedding = config.makeEmbedding(
            vocabularySize: config.vocabularySize, using: &generator)
        sourceEmbedding =
            config.sharedEmbeddings
            ? nil
            : config.makeEmbedding(
                vocabularySize: config.effectiveSourceVocabularySize, using: &generator)
        sourcePositions = config.makeLearnedPositions(using: &generator)
        targetPositions = config.makeLearnedPositions(using: &generator)
        sinusoid = config.makeSinusoid()
        encoder = TransformerEncoder(config: config, using: &generator)
        decoder = TransformerDecoder(config: config, crossAttention: true, using: &generator)
        outputProjection = config.makeOutputProjection(using: &generator)
        finalLogitsBias = config.makeFinalLogitsBias()
        embeddingDropout = Dropout(probability: config.dropout, using: &generator)
        initializeBlockProjections(of: self, using: &generator)
    }

    /// The output projection's weight, `[V, D]`: `outputProjection` or the tied target table.
    public var outputWeight: Tensor { (outputProjection?.weight ?? targetEmbedding.weight).value }

    /// The logits `[..., V]` of decoder outputs `[..., D]`:
    /// `(outputScale · hidden) · outputWeightᵀ + finalLogitsBias`.
    public func projectedLogits(_ hidden: Tensor) -> Tensor {
        vocabularyLogits(
            hidden, weight: outputWeight, bias: finalLogitsBias, scale: config.outputScale)
    }

    /// Encodes right-padded sources.
    ///
    /// - Parameter sources: Ids `[B, S]` in the source vocabulary.
    /// - Returns: The memory `[B, S, D]` and each row's real length.
    public func encode(_ sources: TokenBatch) -> EncoderOutput {
        let mask = keyPaddingMask(lengths: sources.lengths, keyCount: sources.length)
        return EncoderOutput(
            memory: encoder(sourceInput(sources), mask: mask), lengths: sources.lengths)
    }

    /// The embedded sources `[B, S, D]`: the encoder's input.
    func sourceInput(_ sources: TokenBatch) -> Tensor {
        let input = InputEmbedding(
            table: sourceEmbedding ?? targetEmbedding, scale: config.effectiveEmbeddingScale,
            learned: sourcePositions, sinusoid: sinusoid, norm: encoder.embeddingNorm,
            dropout: embeddingDropout)
        return input(
            sources.ids, shape: sources.shape, offsets: Array(repeating: 0, count: sources.rowCount)
        )
    }

    /// Teacher-forced logits: every target position predicts the next target token.
    ///
    /// - Parameters:
    ///   - sources: Ids `[B, S]`, right-padded.
    ///   - targetInputs: Ids `[B, T]`, usually `startID` followed by the target.
    /// - Returns: Logits `[B, T, V]`; rows of padded positions hold finite values to ignore.
    public func logits(sources: TokenBatch, targetInputs: TokenBatch) -> Tensor {
        logits(encoderOutput: encode(sources), targetInputs: targetInputs)
    }

    /// Teacher-forced logits against an encoding made earlier by `encode(_:)`.
    ///
    /// - Returns: Logits `[B, T, V]`.
    public func logits(encoderOutput: EncoderOutput, targetInputs: TokenBatch) -> Tensor {
        projectedLogits(decoded(targetInputs, encoderOutput: encoderOutput))
    }

    /// The teacher-forced cross-entropy of `targetOutputs` given `targetInputs`.
    ///
    /// Only positions whose output is not `padID` count, and only those are projected onto
    /// the vocabulary.
    ///
    /// - Parameters:
    ///   - sources: Ids `[B, S]`, right-padded.
    ///   - targetInputs: Ids `[B, T]`, such as `[startID] + target` (see
    ///     `TokenBatch.teacherForcing`).
    ///   - targetOutputs: Ids `[B, T]`, such as `target + [endID]`, padded with `padID`.
    ///   - labelSmoothing: `ε` in `0...1`.
    ///   - reduction: `.mean` over target tokens (default), `.sum`, or `.none` (one loss per
    ///     target token, row-major).
    /// - Returns: A scalar, or the per-token losses for `.none`.
    public func loss(
        sources: TokenBatch, targetInputs: TokenBatch, targetOutputs: TokenBatch,
        labelSmoothing: Float = 0, reduction: Reduction = .mean
    ) -> Tensor {
        precondition(
            targetInputs.shape == targetOutputs.shape,
            "TransformerSeq2Seq.loss: target inputs \(targetInputs.shape) and outputs \(targetOutputs.shape) differ"
        )
        let hidden = decoded(targetInputs, encoderOutput: encode(sources))
        return targetLoss(
            hidden: config.outputScale == 1 ? hidden : hidden * config.outputScale,
            targets: targetOutputs.ids, outputWeight: outputWeight,
            outputBias: finalLogitsBias?.value, padID: config.padID, labelSmoothing: labelSmoothing,
            reduction: reduction)
    }

    /// The target embedding input for ids `[B, T]` starting at `offset`.
    func targetInput(_ ids: [Int32], shape: [Int], offset: Int) -> Tensor {
        let input = InputEmbedding(
            table: targetEmbedding, scale: config.effectiveEmbeddingScale,
            learned: targetPositions, sinusoid: sinusoid, norm: decoder.embeddingNorm,
            dropout: embeddingDropout)
        return input(ids, shape: shape, offsets: Array(repeating: offset, count: shape[0]))
    }

    /// The decoder output `[B, T, D]` for teacher forcing.
    private func decoded(_ targetInputs: TokenBatch, encoderOutput: EncoderOutput) -> Tensor {
        precondition(
            targetInputs.rowCount == encoderOutput.lengths.count,
            "TransformerSeq2Seq: \(targetInputs.rowCount) target rows for \(encoderOutput.lengths.count) sources"
        )
        let x = targetInput(targetInputs.ids, shape: targetInputs.shape, offset: 0)
        var caches = [KeyValueCache?](repeating: nil, count: decoder.layers.count)
        // Right padding follows the real targets, so the causal mask alone keeps it unseen.
        return decoder(
            x, selfMask: causalMask(length: targetInputs.length), caches: &caches,
            memory: decoder.projectedMemory(encoderOutput.memory),
            memoryMask: keyPaddingMask(
                lengths: encoderOutput.lengths, keyCount: encoderOutput.memory.shape[1]))
    }
}
