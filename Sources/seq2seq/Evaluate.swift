import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq evaluate --model DIR --source FILE --reference FILE`: translate and score.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Translate a file and score it against references (BLEU, chrF; sacreBLEU defaults).",
        discussion: """
            The best output of each source is scored. With --nbest N > 1 (beam search with \
            --beam ≥ N, or --sample) it also reports oracle BLEU@N, the corpus BLEU of the \
            entry of each n-best list with the highest sentence BLEU against its reference, \
            and distinct-1, -2 and -4 of diverse beam search: the distinct n-grams of all \
            n-best lists divided by the number of words in them. --json adds "nbest", \
            "oracle_bleu" and "distinct_1", "distinct_2", "distinct_4".
            """)

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

    @OptionGroup(title: "Search")
    var search: SearchOptions

    @OptionGroup(title: "Languages")
    var languages: LanguageOptions

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
        var settings = try search.settings(for: loaded)
        let sourceEnding = try languages.sourceEnding(for: loaded, settings: &settings)
        let nBest = try translateLines(
            pairs.map(\.source), with: loaded, settings: settings, batchSize: search.batchSize,
            sourceEnding: sourceEnding
        ).map { $0.map(\.text) }
        let outputs = nBest.map { $0.first ?? "" }
        if let hypotheses {
            try (outputs.joined(separator: "\n") + "\n").write(
                toFile: hypotheses, atomically: true, encoding: .utf8)
        }
        let references = [pairs.map { Optional($0.target) }]
        let bleu = BLEU().corpusScore(hypotheses: outputs, references: references)
        let chrF = ChrF().corpusScore(hypotheses: outputs, references: references)
        let lists = settings.outputsPerSource > 1 ? NBestScores(nBest, references: references) : nil
        if json {
            var object: [String: Any] = [
                "bleu": bleu.score, "chrf": chrF.score, "bleu_signature": bleu.signature,
                "chrf_signature": chrF.signature, "sentences": outputs.count,
                "beam": settings.generation.beamSize, "nbest": settings.outputsPerSource,
            ]
            if let lists {
                object["oracle_bleu"] = lists.oracleBLEU
                for (order, value) in lists.distinct { object["distinct_\(order)"] = value }
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(bleu.formatted(decimals: 2))
            print(chrF.formatted(decimals: 2))
            if let lists {
                let n = settings.outputsPerSource
                print("oracle BLEU@\(n) = \(String(format: "%.2f", lists.oracleBLEU))")
                let distinct = lists.distinct.map {
                    "distinct-\($0.order) = \(String(format: "%.4f", $0.value))"
                }
                print(distinct.joined(separator: ", "))
            }
        }
    }
}

/// The diversity and oracle figures of n-best lists.
private struct NBestScores {
    /// Corpus BLEU of the entry of each list closest to its reference (`NBestOracle`).
    let oracleBLEU: Double
    /// Distinct-n for n = 1, 2, 4 over all lists pooled, divided by the words generated, as in
    /// diverse beam search (Vijayakumar et al.).
    let distinct: [(order: Int, value: Double)]

    init(_ nBest: [[String]], references: [[String?]]) {
        oracleBLEU = NBestOracle().corpusScore(nBest: nBest, references: references).score
        let texts = nBest.flatMap { $0 }
        distinct = [1, 2, 4].map {
            ($0, DistinctNGrams.ratio(of: texts, order: $0, dividingBy: .words))
        }
    }
}
