import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq score`: BLEU, chrF and TER of a file of hypotheses, as sacrebleu 2.6.0 scores it.
///
/// Options carry sacrebleu's long names. Files are read as `sacrebleu` reads them (see
/// `SegmentFile`); each `--references` file is one reference stream.
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score hypotheses against references with BLEU, chrF and TER.",
        discussion: """
            Scores agree with sacrebleu 2.6.0; signatures end in version:2.6.0, the version \
            of sacrebleu that the numbers match. Each --references file holds one reference \
            per hypothesis line. With --sentence-level, BLEU uses the effective order, as \
            sacrebleu does.
            """)

    @Option(help: ArgumentHelp("File with one hypothesis per line.", valueName: "file"))
    var hypotheses: String

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("Reference files, one reference stream each.", valueName: "file"))
    var references: [String]

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "Metrics to compute, comma- or space-separated: bleu, chrf, ter.", valueName: "names"))
    var metrics: [String] = ["bleu", "chrf", "ter"]

    @Option(help: "BLEU tokenizer: 13a, intl, char, zh or none.")
    var tokenize = "13a"

    @Flag(help: "Lowercase both sides before BLEU.")
    var lowercase = false

    @Option(help: "BLEU smoothing: exp, floor, add-k or none.")
    var smoothMethod = "exp"

    @Option(help: "Value for floor (default 0.1) or add-k (default 1) smoothing.")
    var smoothValue: Double?

    @Flag(
        help: "BLEU over the orders up to the last with n-grams (always on with --sentence-level).")
    var effectiveOrder = false

    @Option(help: "chrF character n-gram order.")
    var chrfCharOrder = 6

    @Option(help: "chrF word n-gram order (2 is chrF++).")
    var chrfWordOrder = 0

    @Option(help: "chrF weight of recall over precision.")
    var chrfBeta = 2

    @Flag(help: "Include whitespace in chrF character n-grams.")
    var chrfWhitespace = false

    @Flag(help: "Lowercase both sides before chrF.")
    var chrfLowercase = false

    @Flag(help: "chrF epsilon smoothing (chrF++.py, Moses, NLTK) instead of effective order.")
    var chrfEpsSmoothing = false

    @Flag(help: "TER normalisation: unescape XML entities and split punctuation.")
    var terNormalized = false

    @Flag(help: "Remove punctuation before TER.")
    var terNoPunct = false

    @Flag(help: "TER treatment of CJK characters (with --ter-normalized or --ter-no-punct).")
    var terAsianSupport = false

    @Flag(help: "Case-sensitive TER (by default TER lowercases).")
    var terCaseSensitive = false

    @Flag(help: "Score every segment on its own, one result per line.")
    var sentenceLevel = false

    @Flag(help: "Print JSON instead of sacrebleu-style text lines.")
    var json = false

    @Option(help: "Digits after the decimal point in text output.")
    var width = 2

    func validate() throws {
        // Check every option, including those of metrics not selected, as sacrebleu does.
        _ = try selectedMetrics()
        _ = try bleu()
        _ = try chrF()
        guard (0...17).contains(width) else {
            throw ValidationError("--width must be between 0 and 17, got \(width)")
        }
    }

    func run() throws {
        let hypothesisLines = try readSegments(hypotheses, role: "hypotheses")
        var streams: [[String]] = []
        for file in references {
            let lines = try readSegments(file, role: "references")
            guard lines.count == hypothesisLines.count else {
                throw ScoreError(
                    "\(hypotheses) has \(hypothesisLines.count) lines but \(file) has "
                        + "\(lines.count); every reference file needs one line per hypothesis")
            }
            streams.append(lines)
        }
        guard !hypothesisLines.isEmpty else {
            throw ScoreError("\(hypotheses) has no lines to score")
        }
        let scorer = try selectedMetrics()
        if sentenceLevel {
            for segment in hypothesisLines.indices {
                let segmentReferences = streams.map { $0[segment] }
                print(try render(scorer.sentence(hypothesisLines[segment], segmentReferences)))
            }
        } else {
            print(try render(scorer.corpus(hypothesisLines, streams)))
        }
    }

    /// The metrics named by `--metrics`, configured by the other options.
    private func selectedMetrics() throws -> Scorer {
        let names = metrics.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !names.isEmpty else {
            throw ValidationError("--metrics needs at least one of bleu, chrf, ter")
        }
        for name in names where !["bleu", "chrf", "ter"].contains(name) {
            throw ValidationError(
                "unknown metric '\(name)' in --metrics; choose from bleu, chrf, ter")
        }
        return Scorer(
            bleu: names.contains("bleu") ? try bleu() : nil,
            chrF: names.contains("chrf") ? try chrF() : nil,
            ter: names.contains("ter")
                ? TER(
                    normalized: terNormalized, noPunctuation: terNoPunct,
                    asianSupport: terAsianSupport, caseSensitive: terCaseSensitive) : nil)
    }

    private func bleu() throws -> BLEU {
        guard let tokenizer = BLEUTokenizer(rawValue: tokenize) else {
            throw ValidationError(
                "--tokenize must be one of 13a, intl, char, zh, none; got '\(tokenize)'")
        }
        if let smoothValue, !(smoothValue.isFinite && smoothValue >= 0) {
            throw ValidationError("--smooth-value must be a finite number >= 0, got \(smoothValue)")
        }
        let smoothing: BLEU.Smoothing
        switch smoothMethod {
        case "exp": smoothing = .exponential
        case "none": smoothing = .none
        case "floor": smoothing = smoothValue.map { .floor($0) } ?? .floor()
        case "add-k": smoothing = smoothValue.map { .addK($0) } ?? .addK()
        default:
            throw ValidationError(
                "--smooth-method must be one of exp, floor, add-k, none; got '\(smoothMethod)'")
        }
        if smoothValue != nil, smoothing == .exponential || smoothing == .none {
            throw ValidationError("--smooth-value applies only to --smooth-method floor or add-k")
        }
        return BLEU(
            tokenizer: tokenizer, lowercase: lowercase, smoothing: smoothing,
            effectiveOrder: effectiveOrder || sentenceLevel)
    }

    private func chrF() throws -> ChrF {
        guard chrfCharOrder >= 0, chrfWordOrder >= 0, chrfCharOrder + chrfWordOrder > 0 else {
            throw ValidationError(
                "--chrf-char-order and --chrf-word-order must be >= 0 and not both 0; "
                    + "got \(chrfCharOrder) and \(chrfWordOrder)")
        }
        guard chrfBeta >= 0 else {
            throw ValidationError("--chrf-beta must be >= 0, got \(chrfBeta)")
        }
        return ChrF(
            characterOrder: chrfCharOrder, wordOrder: chrfWordOrder, beta: chrfBeta,
            lowercase: chrfLowercase, whitespace: chrfWhitespace, epsSmoothing: chrfEpsSmoothing)
    }

    /// One JSON object, or one text line per metric.
    private func render(_ scores: Scores) throws -> String {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(ScoreReport(scores)), as: UTF8.self)
        }
        let lines = [
            scores.bleu?.formatted(decimals: width), scores.chrF?.formatted(decimals: width),
            scores.ter?.formatted(decimals: width),
        ].compactMap { $0 }
        // Right-align the names so the `=` signs line up, as sacrebleu prints several metrics.
        let nameWidths = lines.map { $0.prefix { $0 != "=" }.count }
        let widest = nameWidths.max() ?? 0
        return zip(lines, nameWidths).map { String(repeating: " ", count: widest - $1) + $0 }
            .joined(separator: "\n")
    }
}

/// The metrics one run computes.
private struct Scorer {
    var bleu: BLEU?
    var chrF: ChrF?
    var ter: TER?

    func corpus(_ hypotheses: [String], _ streams: [[String]]) -> Scores {
        let references = streams.map { $0.map(Optional.some) }
        return Scores(
            bleu: bleu?.corpusScore(hypotheses: hypotheses, references: references),
            chrF: chrF?.corpusScore(hypotheses: hypotheses, references: references),
            ter: ter?.corpusScore(hypotheses: hypotheses, references: references))
    }

    func sentence(_ hypothesis: String, _ references: [String]) -> Scores {
        Scores(
            bleu: bleu?.sentenceScore(hypothesis: hypothesis, references: references),
            chrF: chrF?.sentenceScore(hypothesis: hypothesis, references: references),
            ter: ter?.sentenceScore(hypothesis: hypothesis, references: references))
    }
}

/// The scores of one corpus or one segment.
private struct Scores {
    var bleu: BLEUScore?
    var chrF: ChrFScore?
    var ter: TERScore?
}

/// The `--json` layout: `{"bleu": {...}, "chrf": {...}, "ter": {...}}`, requested metrics only.
private struct ScoreReport: Encodable {
    struct BLEUReport: Encodable {
        var score: Double
        var counts: [Double]
        var totals: [Double]
        var precisions: [Double]
        var bp: Double
        var sysLen: Int
        var refLen: Int
        var signature: String

        enum CodingKeys: String, CodingKey {
            case score, counts, totals, precisions, bp, signature
            case sysLen = "sys_len"
            case refLen = "ref_len"
        }
    }

    struct ChrFReport: Encodable {
        var score: Double
        var signature: String
    }

    struct TERReport: Encodable {
        var score: Double
        var numEdits: Int
        var refLength: Double
        var signature: String

        enum CodingKeys: String, CodingKey {
            case score, signature
            case numEdits = "num_edits"
            case refLength = "ref_length"
        }
    }

    var bleu: BLEUReport?
    var chrf: ChrFReport?
    var ter: TERReport?

    init(_ scores: Scores) {
        bleu = scores.bleu.map {
            BLEUReport(
                score: $0.score, counts: $0.counts, totals: $0.totals, precisions: $0.precisions,
                bp: $0.brevityPenalty, sysLen: $0.systemLength, refLen: $0.referenceLength,
                signature: $0.signature)
        }
        chrf = scores.chrF.map { ChrFReport(score: $0.score, signature: $0.signature) }
        ter = scores.ter.map {
            TERReport(
                score: $0.score, numEdits: $0.numEdits, refLength: $0.referenceLength,
                signature: $0.signature)
        }
    }
}

/// A file problem, reported as one line naming the file.
struct ScoreError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// The segments of `path`, or a `ScoreError` naming the file (and the line, for bad UTF-8).
private func readSegments(_ path: String, role: String) throws -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw ScoreError("\(role) file \(path) does not exist")
    }
    guard !isDirectory.boolValue else { throw ScoreError("\(role) file \(path) is a directory") }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ScoreError("\(role) file \(path) cannot be read")
    }
    do {
        return try SegmentFile.segments(ofUTF8: [UInt8](data))
    } catch let error as SegmentFile.InvalidUTF8 {
        throw ScoreError("\(path): \(error)")
    }
}
