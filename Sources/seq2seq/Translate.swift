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
func translateLines(
    _ lines: [String], with loaded: LoadedModel, settings: EvaluationConfig
) -> [String] {
    let end = loaded.tokenizer.endID ?? 0
    let nonEmpty = lines.indices.filter {
        !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty
    }
    let sources = nonEmpty.map { loaded.tokenizer.encode(lines[$0]) + [end] }
    let translated = translateInBatches(
        loaded.model, sources: sources, tokenizer: loaded.tokenizer, settings: settings)
    var outputs = [String](repeating: "", count: lines.count)
    for (index, text) in zip(nonEmpty, translated) { outputs[index] = text }
    return outputs
}
