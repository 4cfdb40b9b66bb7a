import ArgumentParser
import Foundation
import Seq2Seq

/// The utility of `--mbr`.
enum MBRMetric: String, ExpressibleByArgument, CaseIterable {
    case chrf, bleu

    /// The selection this metric makes.
    var selection: MinimumBayesRisk {
        switch self {
        case .chrf: MinimumBayesRisk(utility: .chrF())
        case .bleu: MinimumBayesRisk(utility: .bleu())
        }
    }
}

/// `seq2seq translate --model DIR`: standard input to standard output, line by line.
struct Translate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Translate standard input line by line with a model directory.",
        discussion: """
            Output, one input line at a time (a blank input line gives a blank line, or no \
            n-best entries):
              default      the best output (with --mbr, the candidate --mbr chooses);
              --nbest N    N lines per input in Marian's and Moses' n-best format, \
            "INDEX ||| TEXT ||| SCORE", INDEX the 0-based input line, best first;
              --json       one JSON object per input line: {"source": "...", \
            "translations": [{"text": "...", "tokens": [ids], "score": s, \
            "sum_logprob": l}, ...]}, best first; with --mbr also "mbr": {"metric": \
            "chrf", "choice": i, "expected_utilities": [...]}.
              --alignment  after each output line, fairseq's "A-INDEX<tab>S-T S-T ...": \
            each generated token T (0-based, the end token left out) linked to the source \
            token S it attends to most (the last decoder layer's cross attention averaged \
            over its heads; subword positions, the source's end token left out); with \
            --json each translation also has "attention" (one row per generated token, one \
            column per source token) and "alignment" ([[S, T], ...]).
            "tokens" are the generated ids (ending with the end id when finished), \
            "score" is what the search ranks by (length-normalised for beam search) and \
            "sum_logprob" the model's log-probability of the tokens. Settings not given come \
            from the model: an imported checkpoint's generation config, or beam 5 for a \
            trained model.
            """)

    @Option(help: "A model directory (e.g. runs/latest/best).")
    var model: String

    @OptionGroup(title: "Search")
    var search: SearchOptions

    @OptionGroup(title: "Languages")
    var languages: LanguageOptions

    @Option(help: "Force every output to start with this text (autocompletion).")
    var prefix: String?

    @Option(help: "A file with one forced prefix per input line (blank: none).")
    var prefixFile: String?

    @Option(
        help: ArgumentHelp(
            "Minimum Bayes-risk decoding: print the candidate with the highest expected chrf "
                + "or bleu against the others.",
            discussion: "The candidates are the n-best list (--nbest N; without it, all --beam "
                + "outputs) or the samples of --sample --nbest N."))
    var mbr: MBRMetric?

    @Flag(help: "Print one JSON object per input line with every output and its scores.")
    var json = false

    @Flag(
        help: ArgumentHelp(
            "Print each output's hard alignment to the source (fairseq's A- lines), or with "
                + "--json its attention matrix and alignment."))
    var alignment = false

    func validate() throws {
        if prefix != nil, prefixFile != nil {
            throw ValidationError("give either --prefix or --prefix-file, not both")
        }
    }

    func run() throws {
        let loaded = try LoadedModel(contentsOf: URL(fileURLWithPath: model))
        var settings = try search.settings(for: loaded)
        if alignment {
            try requireAttention(loaded, model: model, option: "--alignment")
            settings.attention = AttentionOptions()
        }
        let sourceEnding = try languages.sourceEnding(for: loaded, settings: &settings)
        if mbr != nil {
            if search.nbest == nil, !settings.generation.sample {
                settings.generation.nBest = settings.generation.beamSize
            }
            guard settings.generation.nBest >= 2 else {
                throw ValidationError(
                    "--mbr chooses among several candidates: give --nbest N ≥ 2 with --beam ≥ N, "
                        + "or --sample --nbest N")
            }
        }
        var lines: [String] = []
        while let line = readLine(strippingNewline: true) { lines.append(line) }
        let prefixes = try forcedPrefixes(lineCount: lines.count)
        let outputs = try translateLines(
            lines, with: loaded, settings: settings, batchSize: search.batchSize,
            prefixes: prefixes, sourceEnding: sourceEnding)
        let listing = (search.nbest ?? 1) > 1 && mbr == nil
        for (index, (line, translations)) in zip(lines, outputs).enumerated() {
            let choice =
                translations.isEmpty ? nil : mbr?.selection.select(from: translations.map(\.text))
            if json {
                print(
                    try jsonLine(
                        source: line, translations: translations, mbr: choice, loaded: loaded))
            } else if listing {
                for translation in translations {
                    print("\(index) ||| \(translation.text) ||| \(translation.hypothesis.score)")
                    printAlignment(index: index, translation, loaded: loaded)
                }
            } else {
                let best = translations.isEmpty ? nil : translations[choice?.index ?? 0]
                print(best?.text ?? "")
                printAlignment(index: index, best, loaded: loaded)
            }
        }
    }

    /// The prefix of every input line, or `nil` without `--prefix` or `--prefix-file`.
    private func forcedPrefixes(lineCount: Int) throws -> [String]? {
        if let prefix { return Array(repeating: prefix, count: lineCount) }
        guard let prefixFile else { return nil }
        let prefixes: [String]
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: prefixFile))
            prefixes = try SegmentFile.segments(ofUTF8: Array(data))
        } catch let error as SegmentFile.InvalidUTF8 {
            throw ValidationError("--prefix-file \(prefixFile): \(error)")
        } catch {
            throw ValidationError("--prefix-file \(prefixFile): cannot be read")
        }
        guard prefixes.count == lineCount else {
            throw ValidationError(
                "--prefix-file \(prefixFile) has \(prefixes.count) lines but standard input has "
                    + "\(lineCount): give one prefix per input line")
        }
        return prefixes
    }

    /// With `--alignment`, the `A-` line of `translation` (an empty one without an output).
    private func printAlignment(index: Int, _ translation: Translation?, loaded: LoadedModel) {
        guard alignment else { return }
        print(
            alignmentLine(
                index: index, links: translation.map { hardAlignment($0, model: loaded) } ?? []))
    }

    /// One `--json` line; `choice` is the `--mbr` selection, if any.
    private func jsonLine(
        source: String, translations: [Translation], mbr choice: MinimumBayesRisk.Choice?,
        loaded: LoadedModel
    ) throws -> String {
        var object: [String: Any] = [
            "source": source,
            "translations": translations.map { translation -> [String: Any] in
                let hypothesis = translation.hypothesis
                var entry: [String: Any] = [
                    "text": translation.text, "tokens": hypothesis.tokens.map(Int.init),
                    "score": jsonNumber(hypothesis.score),
                    "sum_logprob": jsonNumber(hypothesis.sumLogProbabilities),
                ]
                if alignment, let attention = hypothesis.attention {
                    entry["attention"] = attention.map { $0.map(jsonNumber) }
                    entry["alignment"] = hardAlignment(translation, model: loaded).map {
                        [$0.source, $0.target]
                    }
                }
                return entry
            },
        ]
        if let mbr, let choice {
            object["mbr"] = [
                "metric": mbr.rawValue, "choice": choice.index,
                "expected_utilities": choice.expectedUtilities,
            ]
        }
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// `value` as a JSON number with its shortest exact digits, or `null` if not finite.
private func jsonNumber(_ value: Float) -> Any {
    value.isFinite ? (Double("\(value)") ?? Double(value)) : NSNull()
}
