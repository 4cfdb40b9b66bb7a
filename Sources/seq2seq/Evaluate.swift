import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq evaluate --model DIR --source FILE --reference FILE`: translate and score.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Translate a file and score it against references (BLEU, chrF; sacreBLEU defaults).")

    @Option(help: "A model directory (e.g. runs/latest/best).")
    var model: String

    @Option(help: "Source sentences, one per line (gzip is read transparently).")
    var source: String?

    @Option(help: "Reference translations, line-aligned with --source.")
    var reference: String?

    @Option(help: "Instead of --source and --reference: a TSV file holding both.")
    var tsv: String?

    @Option(help: "With --tsv: the source and reference columns, 0-based.")
    var columns = "0,1"

    @Option(help: "Beam size; 1 is greedy search.")
    var beam = 5

    @Option(help: "Sentences decoded together.")
    var batchSize = 32

    @Option(help: "Write the translations to this file.")
    var hypotheses: String?

    @Flag(help: "Print the scores as one JSON object.")
    var json = false

    func validate() throws {
        guard (source != nil && reference != nil) != (tsv != nil) else {
            throw ValidationError("give either --source and --reference, or --tsv")
        }
        guard parsedColumns != nil else {
            throw ValidationError(
                "--columns must be two 0-based column numbers like 1,0, got \(columns)")
        }
        guard beam >= 1 else { throw ValidationError("--beam must be at least 1, got \(beam)") }
        guard batchSize >= 1 else {
            throw ValidationError("--batch-size must be at least 1, got \(batchSize)")
        }
    }

    /// `--columns` as two column numbers, or `nil` if malformed.
    private var parsedColumns: [Int]? {
        let numbers = columns.split(separator: ",").compactMap { Int($0) }
        return numbers.count == 2 && numbers.allSatisfy { $0 >= 0 } ? numbers : nil
    }

    func run() throws {
        let loaded = try LoadedModel(contentsOf: URL(fileURLWithPath: model))
        let pairs: [TextPair]
        if let tsv, let parsedColumns {
            pairs = try TSVReader(file: URL(fileURLWithPath: tsv), columns: parsedColumns)
                .readPairs()
        } else if let source, let reference {
            pairs = try ParallelTextReader(
                source: URL(fileURLWithPath: source), target: URL(fileURLWithPath: reference)
            ).readAll()
        } else {
            pairs = []
        }
        let outputs = translateLines(
            pairs.map(\.source), with: loaded,
            settings: EvaluationConfig(beam: beam, batchSize: batchSize))
        if let hypotheses {
            try (outputs.joined(separator: "\n") + "\n").write(
                toFile: hypotheses, atomically: true, encoding: .utf8)
        }
        let references = [pairs.map { Optional($0.target) }]
        let bleu = BLEU().corpusScore(hypotheses: outputs, references: references)
        let chrF = ChrF().corpusScore(hypotheses: outputs, references: references)
        if json {
            let object: [String: Any] = [
                "bleu": bleu.score, "chrf": chrF.score, "bleu_signature": bleu.signature,
                "chrf_signature": chrF.signature, "sentences": outputs.count, "beam": beam,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(bleu.formatted(decimals: 2))
            print(chrF.formatted(decimals: 2))
        }
    }
}
