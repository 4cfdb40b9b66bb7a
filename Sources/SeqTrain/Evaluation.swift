import SeqMetrics
import SeqTensor
import SeqText

/// Validation figures of one evaluation.
public struct EvaluationResult: Sendable {
    /// Mean negative log-likelihood per target token (end token included), no smoothing.
    public let loss: Double
    /// Corpus BLEU of the decoded validation set (sacreBLEU defaults).
    public let bleu: Double
    /// Corpus chrF of the decoded validation set (sacreBLEU defaults).
    public let chrF: Double
    /// The decoded validation hypotheses, in order.
    public let hypotheses: [String]
}

/// Computes the validation loss in batches of about `maxTokens` tokens, then decodes the
/// validation sources (at most `settings.maxExamples`) and scores them against the
/// references.
func evaluateModel(
    _ model: any TranslationModel, data: TrainingData, tokenizer: any Tokenizer,
    settings: EvaluationConfig, maxTokens: Int
) -> EvaluationResult {
    var lossSum = 0.0
    var tokenCount = 0
    withoutGradients {
        var start = 0
        while start < data.valid.count {
            var end = start
            var longest = 0
            while end < data.valid.count {
                let pair = data.valid[end]
                let length = max(pair.source.count, pair.target.count + 1)
                if end > start, (end - start + 1) * max(longest, length) > maxTokens { break }
                longest = max(longest, length)
                end += 1
            }
            let (sum, tokens) = model.loss(Array(data.valid[start..<end]), labelSmoothing: 0)
            lossSum += Double(sum.scalar)
            tokenCount += tokens
            start = end
        }
    }
    let count = min(data.valid.count, settings.maxExamples ?? data.valid.count)
    let sources = data.valid.prefix(count).map(\.source)
    let hypotheses = translateInBatches(
        model, sources: Array(sources), tokenizer: tokenizer, settings: settings)
    let references = [Array(data.validReferences.prefix(count)).map { Optional($0) }]
    let bleu = BLEU().corpusScore(hypotheses: hypotheses, references: references)
    let chrF = ChrF().corpusScore(hypotheses: hypotheses, references: references)
    return EvaluationResult(
        loss: lossSum / Double(max(1, tokenCount)), bleu: bleu.score, chrF: chrF.score,
        hypotheses: hypotheses)
}

/// Decodes `sources` in batches of `settings.batchSize` sentences of similar length and
/// returns the detokenized outputs in the original order.
public func translateInBatches(
    _ model: any TranslationModel, sources: [[Int32]], tokenizer: any Tokenizer,
    settings: EvaluationConfig
) -> [String] {
    let order = sources.indices.sorted { sources[$0].count < sources[$1].count }
    var outputs = [String](repeating: "", count: sources.count)
    withoutGradients {
        var start = 0
        while start < order.count {
            let indices = Array(order[start..<min(start + settings.batchSize, order.count)])
            let decoded = model.translate(
                indices.map { sources[$0] }, beamSize: settings.beam,
                maxLengthA: settings.maxLengthA, maxLengthB: settings.maxLengthB)
            for (index, ids) in zip(indices, decoded) { outputs[index] = tokenizer.decode(ids) }
            start += settings.batchSize
        }
    }
    return outputs
}
