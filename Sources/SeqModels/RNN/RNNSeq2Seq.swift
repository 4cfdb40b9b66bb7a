import SeqNN
import SeqTensor

// Legend: B batch, S source positions, T target positions, E embedding size, H decoder state
// size, V target vocabulary.

/// A recurrent encoder–decoder: Sutskever and others (2014) with the attention of Bahdanau and
/// others (2015) and Luong and others (2015) as options.
///
/// - source: `dropout(sourceEmbedding[ids])`, read in reverse when `reverseSource` (the
///   trailing end id stays last), by `encoder` (a fused stacked `LSTM` or `GRU`, optionally
///   bidirectional);
/// - `bridge`: the encoder's final states become the decoder's initial states (`none`,
///   `copy`, `linear`);
/// - `decoder`: one step per target position on `dropout(targetEmbedding[y_{t−1}])`, with input
///   feeding and attention as configured (see `RNNDecoder`);
/// - logits: `outputProjection(dropout(out_t))`, or `dropout(out_t) · targetEmbeddingᵀ` when
///   `tiedOutputProjection`.
///
/// Padding never changes the results for real tokens: the encoder holds each row's state
/// past its end, padded source positions are blocked in attention, and padded targets only
/// follow real ones.
///
/// Shapes: sources `[B, S]` and targets `[B, T]` as `TokenBatch`es; logits `[B, T, V]`.
/// Initialisation: PyTorch's defaults (cells and linear layers `U(−1/√fan, 1/√fan)`,
/// embeddings `N(0, 1)`), or `U(−r, r)` for every parameter with `uniformInitialization`;
/// the `padID` rows of the embeddings start at zero.
///
/// ```swift
/// var rng = SeededGenerator(seed: 0)
/// let model = RNNSeq2Seq(config: config, using: &rng)
/// let (inputs, outputs) = TokenBatch.teacherForcing(
///     targets: targets, startID: config.startID, endID: config.endID, padID: config.padID)
/// let loss = model.loss(
///     sources: TokenBatch(rows: sources, padID: config.padID), targetInputs: inputs,
///     targetOutputs: outputs)
/// ```
public final class RNNSeq2Seq: Module {
    /// The source token table, or `nil` when `sharedEmbeddings` uses `targetEmbedding`.
    public let sourceEmbedding: Embedding?
    /// The target token table (also the source's when shared), `[V, E]`.
    public let targetEmbedding: Embedding
    /// The stacked (bidirectional) recurrent encoder.
    public let encoder: RNNEncoder
    /// The map from the encoder's final states to the decoder's initial states.
    public let bridge: RNNBridge
    /// The stacked recurrent decoder with its attention.
    public let decoder: RNNDecoder
    /// The `[H → V]` output projection with a bias, or `nil` when tied to `targetEmbedding`.
    public let outputProjection: Linear?
    /// Dropout on the embedded sources and targets.
    public let embeddingDropout: Dropout
    /// Dropout on the decoder outputs before the projection.
    public let outputDropout: Dropout
    /// The config the model was built from.
    public let config: RNNConfig

    /// Builds the model described by `config`, with initial weights drawn from `generator`.
    ///
    /// Traps with the `ConfigError` message if `config` is invalid (see
    /// `RNNConfig.validate()`).
    public init(config: RNNConfig, using generator: inout SeededGenerator) {
        config.checkValid(for: "RNNSeq2Seq")
        self.config = config
        targetEmbedding = Embedding(
            vocabularySize: config.vocabularySize, modelSize: config.embeddingSize,
            using: &generator)
        sourceEmbedding =
            config.sharedEmbeddings
            ? nil
            : Embedding(
                vocabularySize: config.effectiveSourceVocabularySize,
                modelSize: config.embeddingSize, using: &generator)
        encoder = RNNEncoder(config: config, using: &generator)
        bridge = RNNBridge(config: config, using: &generator)
        decoder = RNNDecoder(config: config, using: &generator)
        outputProjection =
            config.tiedOutputProjection
            ? nil
            : Linear(
                inputSize: config.hiddenSize, outputSize: config.vocabularySize, using: &generator)
        embeddingDropout = Dropout(probability: config.dropout, using: &generator)
        outputDropout = Dropout(probability: config.dropout, using: &generator)
        if let bound = config.uniformInitialization {
            for parameter in parameters() {
                parameter.value = .uniform(parameter.shape, in: -bound...bound, using: &generator)
            }
        }
        for table in [sourceEmbedding, targetEmbedding].compactMap({ $0 }) {
            var scalars = table.weight.value.scalars
            let row = Int(config.padID) * config.embeddingSize
            scalars.replaceSubrange(
                row..<(row + config.embeddingSize),
                with: repeatElement(0, count: config.embeddingSize))
            table.weight.value = Tensor(shape: table.weight.shape, scalars: scalars)
        }
    }

    /// The output projection's weight, `[V, H]`: `outputProjection` or the tied target table.
    public var outputWeight: Tensor { (outputProjection?.weight ?? targetEmbedding.weight).value }

    /// The output projection's bias `[V]`, or `nil` when tied.
    public var outputBias: Tensor? { outputProjection?.bias?.value }

    /// `source` in the order the encoder reads it: unchanged, or with `reverseSource` its
    /// tokens reversed, a trailing `endID` staying last.
    public func readingOrder(_ source: [Int32]) -> [Int32] {
        guard config.reverseSource else { return source }
        guard source.last == config.endID else { return source.reversed() }
        return source.dropLast().reversed() + [config.endID]
    }

    /// Encodes right-padded sources, given in their natural order (`reverseSource` reverses
    /// them here).
    ///
    /// - Parameter sources: Ids `[B, S]` in the source vocabulary.
    /// - Returns: The encoder outputs `[B, S, D]`, the lengths, and each layer's final state.
    public func encode(_ sources: TokenBatch) -> RNNEncoding {
        var ids = sources.ids
        if config.reverseSource {
            for row in 0..<sources.rowCount {
                let start = row * sources.length
                ids.replaceSubrange(
                    start..<(start + sources.lengths[row]), with: readingOrder(sources.row(row)))
            }
        }
        let table = sourceEmbedding ?? targetEmbedding
        let embedded = embeddingDropout(table(ids, shape: sources.shape))
        return encoder(embedded, lengths: sources.lengths)
    }

    /// Teacher-forced logits: every target position predicts the next target token.
    ///
    /// - Parameters:
    ///   - sources: Ids `[B, S]`, right-padded.
    ///   - targetInputs: Ids `[B, T]`, usually `startID` followed by the target.
    /// - Returns: Logits `[B, T, V]`; rows of padded positions hold finite values to ignore.
    public func logits(sources: TokenBatch, targetInputs: TokenBatch) -> Tensor {
        projectedLogits(decoded(targetInputs, encoding: encode(sources)))
    }

    /// The teacher-forced cross-entropy of `targetOutputs` given `targetInputs`.
    ///
    /// Only positions whose output is not `padID` count, and only those are projected onto
    /// the vocabulary.
    ///
    /// - Parameters:
    ///   - sources: Ids `[B, S]`, right-padded.
    ///   - targetInputs: Ids `[B, T]`, such as `[startID] + target`.
    ///   - targetOutputs: Ids `[B, T]`, such as `target + [endID]`, padded with `padID`.
    ///   - labelSmoothing: `ε` in `0...1`.
    ///   - reduction: `.mean` over target tokens (default), `.sum`, or `.none` (one loss per
    ///     real target token, row-major).
    /// - Returns: A scalar, or the per-token losses for `.none`.
    public func loss(
        sources: TokenBatch, targetInputs: TokenBatch, targetOutputs: TokenBatch,
        labelSmoothing: Float = 0, reduction: Reduction = .mean
    ) -> Tensor {
        precondition(
            targetInputs.shape == targetOutputs.shape,
            "RNNSeq2Seq.loss: target inputs \(targetInputs.shape) and outputs \(targetOutputs.shape) differ"
        )
        let hidden = outputDropout(decoded(targetInputs, encoding: encode(sources)))
        return targetLoss(
            hidden: hidden, targets: targetOutputs.ids, outputWeight: outputWeight,
            outputBias: outputBias, padID: config.padID, labelSmoothing: labelSmoothing,
            reduction: reduction)
    }

    /// The logits `[..., V]` of decoder outputs `[..., H]`, after output dropout.
    func projectedLogits(_ hidden: Tensor) -> Tensor {
        let logits = outputDropout(hidden).matmul(outputWeight, transposingOther: true)
        return outputBias.map { logits + $0 } ?? logits
    }

    /// The attention memory of `encoding`, or `nil` without attention.
    func attentionMemory(_ encoding: RNNEncoding) -> AttentionMemory? {
        decoder.attention.map { AttentionMemory(encoding, attention: $0) }
    }

    /// The decoder state before the first target token.
    func startState(_ encoding: RNNEncoding) -> RNNDecoderState {
        decoder.startState(
            rows: encoding.lengths.count, initial: bridge.initialStates(encoding.finalStates))
    }

    /// The embedded target ids `[B, T]` → `[B, T, E]`, after embedding dropout.
    func embeddedTargets(_ ids: [Int32], shape: [Int]) -> Tensor {
        embeddingDropout(targetEmbedding(ids, shape: shape))
    }

    /// The decoder outputs `[B, T, H]` for teacher forcing.
    private func decoded(_ targetInputs: TokenBatch, encoding: RNNEncoding) -> Tensor {
        precondition(
            targetInputs.rowCount == encoding.lengths.count,
            "RNNSeq2Seq: \(targetInputs.rowCount) target rows for \(encoding.lengths.count) sources"
        )
        return decoder.outputs(
            embeddedTargets(targetInputs.ids, shape: targetInputs.shape),
            state: startState(encoding), memory: attentionMemory(encoding))
    }
}
