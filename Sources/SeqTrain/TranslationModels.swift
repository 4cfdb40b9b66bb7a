import SeqDecode
import SeqModels
import SeqNN
import SeqTensor

extension TransformerSeq2Seq: TranslationModel {
    /// Teacher-forced loss: the decoder reads `[start] + target` and predicts `target + [end]`.
    public func loss(_ pairs: [EncodedPair], labelSmoothing: Float) -> (sum: Tensor, tokens: Int) {
        let sources = TokenBatch(rows: pairs.map(\.source), padID: config.padID)
        let inputs = TokenBatch(
            rows: pairs.map { [config.startID] + $0.target }, padID: config.padID)
        let outputs = TokenBatch(
            rows: pairs.map { $0.target + [config.endID] }, padID: config.padID)
        let sum = loss(
            sources: sources, targetInputs: inputs, targetOutputs: outputs,
            labelSmoothing: labelSmoothing, reduction: .sum)
        return (sum, pairs.reduce(0) { $0 + $1.target.count + 1 })
    }

    /// Greedy or beam search over the model's incremental decoder.
    public func translate(
        _ sources: [[Int32]], beamSize: Int, maxLengthA: Double, maxLengthB: Int
    ) -> [[Int32]] {
        bestOutputs(
            self, sources: sources, beamSize: beamSize, maxLengthA: maxLengthA,
            maxLengthB: maxLengthB)
    }
}

extension RNNSeq2Seq: TranslationModel {
    /// Teacher-forced loss: the decoder reads `[start] + target` and predicts `target + [end]`;
    /// the source (ending with the end id) is reversed by the model when `reverseSource`.
    public func loss(_ pairs: [EncodedPair], labelSmoothing: Float) -> (sum: Tensor, tokens: Int) {
        let sources = TokenBatch(rows: pairs.map(\.source), padID: config.padID)
        let (inputs, outputs) = TokenBatch.teacherForcing(
            targets: pairs.map(\.target), startID: config.startID, endID: config.endID,
            padID: config.padID)
        let sum = loss(
            sources: sources, targetInputs: inputs, targetOutputs: outputs,
            labelSmoothing: labelSmoothing, reduction: .sum)
        return (sum, pairs.reduce(0) { $0 + $1.target.count + 1 })
    }

    /// Greedy or beam search over the model's incremental decoder.
    public func translate(
        _ sources: [[Int32]], beamSize: Int, maxLengthA: Double, maxLengthB: Int
    ) -> [[Int32]] {
        bestOutputs(
            self, sources: sources, beamSize: beamSize, maxLengthA: maxLengthA,
            maxLengthB: maxLengthB)
    }
}

extension TransformerLM: TranslationModel {
    /// Loss over `source <sep> [start] target [end]`, counted on the target part only.
    public func loss(_ pairs: [EncodedPair], labelSmoothing: Float) -> (sum: Tensor, tokens: Int) {
        let batch = trainingBatch(
            sources: pairs.map { withoutEnd($0.source) }, targets: pairs.map(\.target))
        let sum = loss(
            sequences: batch.sequences, targets: batch.targets,
            prefixLengths: config.bidirectionalPrefix ? batch.prefixLengths : nil,
            labelSmoothing: labelSmoothing, reduction: .sum)
        return (sum, pairs.reduce(0) { $0 + $1.target.count + 1 })
    }

    /// Greedy or beam search continuing `source <sep>`.
    public func translate(
        _ sources: [[Int32]], beamSize: Int, maxLengthA: Double, maxLengthB: Int
    ) -> [[Int32]] {
        bestOutputs(
            self, sources: sources.map(withoutEnd), beamSize: beamSize, maxLengthA: maxLengthA,
            maxLengthB: maxLengthB)
    }

    /// `source` without its trailing end id: the separator marks the end of a prompt.
    private func withoutEnd(_ source: [Int32]) -> [Int32] {
        source.last == config.endID ? Array(source.dropLast()) : source
    }
}

/// The best output of each source, without the end token.
private func bestOutputs<Model: IncrementalDecoder>(
    _ model: Model, sources: [[Int32]], beamSize: Int, maxLengthA: Double, maxLengthB: Int
) -> [[Int32]] {
    let length = LengthLimit(
        maxNewTokens: 1024, sourceLengthFactor: Float(maxLengthA), sourceLengthOffset: maxLengthB)
    let strategy: any SearchStrategy =
        beamSize == 1
        ? GreedySearch(length: length)
        : BeamSearch(beamSize: beamSize, lengthPenalty: 1, earlyStopping: .true, length: length)
    return strategy.search(model, sources: sources).map { result in
        let tokens = result.best.tokens
        return tokens.last == model.endID ? Array(tokens.dropLast()) : tokens
    }
}
