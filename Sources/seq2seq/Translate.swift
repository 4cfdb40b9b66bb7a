import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq translate --model DIR`: standard input to standard output, one line per line.
struct Translate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Translate standard input line by line with a trained model.")

    @Option(help: "A model directory (e.g. runs/latest/best).")
    var model: String

    @Option(help: "Beam size; 1 is greedy search.")
    var beam = 5

    @Option(help: "Sentences decoded together.")
    var batchSize = 32

    @Option(help: "Longest output: A × source length + B tokens (this is A).")
    var maxLengthA = 1.5

    @Option(help: "Longest output: A × source length + B tokens (this is B).")
    var maxLengthB = 10

    func validate() throws {
        guard beam >= 1 else { throw ValidationError("--beam must be at least 1, got \(beam)") }
        guard batchSize >= 1 else {
            throw ValidationError("--batch-size must be at least 1, got \(batchSize)")
        }
    }

    func run() throws {
        let loaded = try LoadedModel(contentsOf: URL(fileURLWithPath: model))
        var lines: [String] = []
        while let line = readLine(strippingNewline: true) { lines.append(line) }
        let outputs = translateLines(
            lines, with: loaded,
            settings: EvaluationConfig(
                beam: beam, maxLengthA: maxLengthA, maxLengthB: maxLengthB, batchSize: batchSize))
        for output in outputs { print(output) }
    }
}

/// Translates `lines` in order; an empty (or blank) line gives an empty line.
///
/// A model with generation defaults (an imported checkpoint) decodes with them: its banned
/// words, forced tokens, length penalty and length limits, with the beam size and the length
/// limit `A · source length + B` of `settings`.
func translateLines(
    _ lines: [String], with loaded: LoadedModel, settings: EvaluationConfig
) -> [String] {
    let end = loaded.tokenizer.endID ?? 0
    let nonEmpty = lines.indices.filter {
        !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty
    }
    let sources = nonEmpty.map { loaded.tokenizer.encode(lines[$0]) + [end] }
    let translated: [String]
    if let defaults = loaded.description.generation,
        let decoder = loaded.model as? any IncrementalDecoder
    {
        translated = translateWithDefaults(
            decoder, sources: sources, tokenizer: loaded.tokenizer, defaults: defaults,
            settings: settings)
    } else {
        translated = translateInBatches(
            loaded.model, sources: sources, tokenizer: loaded.tokenizer, settings: settings)
    }
    var outputs = [String](repeating: "", count: lines.count)
    for (index, text) in zip(nonEmpty, translated) { outputs[index] = text }
    return outputs
}

/// Decodes `sources` in batches of similar length with the model's generation defaults and
/// returns the best output of each as text, in the original order.
private func translateWithDefaults(
    _ model: some IncrementalDecoder, sources: [[Int32]], tokenizer: any Tokenizer,
    defaults: GenerationDefaults, settings: EvaluationConfig
) -> [String] {
    var search = defaults
    search.beamSize = settings.beam
    search.nBest = 1
    if !settings.beam.isMultiple(of: search.groups) { search.groups = 1 }
    let strategy = search.strategy(
        endID: model.endID, sourceLengthFactor: Float(settings.maxLengthA),
        sourceLengthOffset: settings.maxLengthB)
    let order = sources.indices.sorted { sources[$0].count < sources[$1].count }
    var outputs = [String](repeating: "", count: sources.count)
    var start = 0
    while start < order.count {
        let indices = Array(order[start..<min(start + settings.batchSize, order.count)])
        let results = withoutGradients {
            strategy.search(model, sources: indices.map { sources[$0] })
        }
        for (index, result) in zip(indices, results) {
            outputs[index] = tokenizer.decode(result.best.tokens)
        }
        start += settings.batchSize
    }
    return outputs
}
