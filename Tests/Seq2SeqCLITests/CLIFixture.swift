import Foundation

/// A sacrebleu 2.6.0 metric case, read from `Tests/SeqMetricsTests/Fixtures` in the source
/// tree (this target has no resources of its own), with what the command line needs.
struct CLIFixture: Decodable {
    struct Options: Decodable {
        struct BLEU: Decodable {
            var tokenize: String
            var lowercase: Bool
            var smoothMethod: String
            var smoothValue: Double?
            var effectiveOrder: Bool
        }

        struct ChrF: Decodable {
            var charOrder: Int
            var wordOrder: Int
            var beta: Int
            var lowercase: Bool
            var whitespace: Bool
            var epsSmoothing: Bool
        }

        struct TER: Decodable {
            var normalized: Bool
            var noPunct: Bool
            var asianSupport: Bool
            var caseSensitive: Bool
        }

        var bleu: BLEU
        var chrf: ChrF
        var ter: TER
    }

    struct Expected: Decodable {
        struct BLEU: Decodable {
            var score: Double
            var counts: [Double]
            var totals: [Double]
            var precisions: [Double]
            var bp: Double
            var sysLen: Int
            var refLen: Int
        }

        struct Score: Decodable { var score: Double }

        struct TER: Decodable {
            var score: Double
            var numEdits: Double
            var refLength: Double
        }

        struct Signatures: Decodable {
            var bleu: String
            var chrf: String
            var chrfPp: String
            var ter: String
        }

        struct Segment: Decodable {
            var bleu: Double
            var chrf: Double
            var ter: Double
        }

        var bleu: BLEU
        var chrf: Score
        var chrfPp: Score
        var ter: TER
        var signatures: Signatures
        var sentenceLevel: [Segment]?
    }

    var hypotheses: [String]
    var references: [[String]]
    var options: Options
    var expected: Expected

    /// Loads `Tests/SeqMetricsTests/Fixtures/<id>.json`.
    static func load(_ id: String, file: String = #filePath) throws -> CLIFixture {
        let url = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SeqMetricsTests/Fixtures/\(id).json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(CLIFixture.self, from: Data(contentsOf: url))
    }

    /// Writes the hypotheses and each reference stream to files in `files` and returns
    /// `--hypotheses FILE --references FILE...`.
    func fileArguments(in files: TemporaryFiles) throws -> [String] {
        let hypothesisFile = try files.write("hypotheses.txt", lines(hypotheses))
        let referenceFiles = try references.enumerated().map { index, stream in
            try files.write("references\(index).txt", lines(stream))
        }
        return ["--hypotheses", hypothesisFile, "--references"] + referenceFiles
    }

    /// The command-line options for this case's BLEU, chrF (with `wordOrder` if given) and
    /// TER options.
    func optionArguments(wordOrder: Int?) -> [String] {
        let bleu = options.bleu
        let chrF = options.chrf
        let ter = options.ter
        var arguments = ["--tokenize", bleu.tokenize, "--smooth-method", bleu.smoothMethod]
        if let value = bleu.smoothValue { arguments += ["--smooth-value", String(value)] }
        arguments += [
            "--chrf-char-order", String(chrF.charOrder),
            "--chrf-word-order", String(wordOrder ?? chrF.wordOrder),
            "--chrf-beta", String(chrF.beta),
        ]
        let flags: [(Bool, String)] = [
            (bleu.lowercase, "--lowercase"), (bleu.effectiveOrder, "--effective-order"),
            (chrF.lowercase, "--chrf-lowercase"), (chrF.whitespace, "--chrf-whitespace"),
            (chrF.epsSmoothing, "--chrf-eps-smoothing"), (ter.normalized, "--ter-normalized"),
            (ter.noPunct, "--ter-no-punct"), (ter.asianSupport, "--ter-asian-support"),
            (ter.caseSensitive, "--ter-case-sensitive"),
        ]
        return arguments + flags.filter(\.0).map(\.1)
    }

    private func lines(_ segments: [String]) -> String {
        segments.map { $0 + "\n" }.joined()
    }
}
