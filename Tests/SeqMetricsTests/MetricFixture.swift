import Foundation
import SeqMetrics
import Testing

/// One sacrebleu 2.6.0 case from `Fixtures/` (see `Fixtures/README-shared-fixtures.md`).
struct MetricFixture: Decodable, Sendable, CustomTestStringConvertible {
    struct BLEUOptions: Decodable {
        var tokenize: String
        var lowercase: Bool
        var smoothMethod: String
        var smoothValue: Double?
        var effectiveOrder: Bool
    }

    struct ChrFOptions: Decodable {
        var charOrder: Int
        var wordOrder: Int
        var beta: Int
        var lowercase: Bool
        var whitespace: Bool
        var epsSmoothing: Bool
    }

    struct TEROptions: Decodable {
        var normalized: Bool
        var noPunct: Bool
        var asianSupport: Bool
        var caseSensitive: Bool
    }

    struct Options: Decodable {
        var bleu: BLEUOptions
        var chrf: ChrFOptions
        var chrfPp: ChrFOptions
        var ter: TEROptions
    }

    struct ExpectedBLEU: Decodable {
        var score: Double
        var counts: [Double]
        var totals: [Double]
        var precisions: [Double]
        var bp: Double
        var sysLen: Int
        var refLen: Int
    }

    struct ExpectedScore: Decodable {
        var score: Double
    }

    struct ExpectedTER: Decodable {
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

    struct SentenceLevel: Decodable {
        var bleu: Double
        var chrf: Double
        var chrfPp: Double
        var ter: Double
    }

    struct Expected: Decodable {
        var bleu: ExpectedBLEU
        var chrf: ExpectedScore
        var chrfPp: ExpectedScore
        var ter: ExpectedTER
        var signatures: Signatures
        var sentenceLevel: [SentenceLevel]?
    }

    var id: String
    var kind: String
    var hypotheses: [String]
    var references: [[String?]]
    var options: Options
    var expected: Expected

    /// The ids listed in `Fixtures/index.json`.
    static func caseIDs() throws -> [String] {
        struct Index: Decodable {
            struct Entry: Decodable { var id: String }
            var cases: [Entry]
        }
        return try decode(Index.self, named: "index").cases.map(\.id)
    }

    /// The randomised cases of `Fixtures/generated_metric_cases.json`
    /// (written by `tools/fixtures/make_metric_cases.py`).
    static func generatedCases() throws -> [MetricFixture] {
        struct File: Decodable { var cases: [MetricFixture] }
        return try decode(File.self, named: "generated_metric_cases").cases
    }

    var testDescription: String { id }

    /// Loads `Fixtures/<id>.json`.
    static func load(_ id: String) throws -> MetricFixture {
        try decode(MetricFixture.self, named: id)
    }

    private static func decode<Value: Decodable>(_ type: Value.Type, named name: String) throws
        -> Value
    {
        guard
            let url = Bundle.module.url(
                forResource: name, withExtension: "json", subdirectory: "Fixtures")
        else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(name).json"]) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(contentsOf: url))
    }

    /// The references of segment `index`, `nil` entries skipped.
    func references(ofSegment index: Int) -> [String] {
        references.compactMap { $0[index] }
    }

    /// The BLEU metric these options describe.
    func bleu(effectiveOrder: Bool? = nil) -> BLEU {
        let options = self.options.bleu
        let smoothing: BLEU.Smoothing
        switch options.smoothMethod {
        case "exp": smoothing = .exponential
        case "floor": smoothing = options.smoothValue.map { .floor($0) } ?? .floor()
        case "add-k": smoothing = options.smoothValue.map { .addK($0) } ?? .addK()
        default: smoothing = .none
        }
        return BLEU(
            tokenizer: BLEUTokenizer(rawValue: options.tokenize) ?? .thirteenA,
            lowercase: options.lowercase, smoothing: smoothing,
            effectiveOrder: effectiveOrder ?? options.effectiveOrder)
    }

    /// The chrF (or chrF++) metric these options describe.
    static func chrF(_ options: ChrFOptions) -> ChrF {
        ChrF(
            characterOrder: options.charOrder, wordOrder: options.wordOrder, beta: options.beta,
            lowercase: options.lowercase, whitespace: options.whitespace,
            epsSmoothing: options.epsSmoothing)
    }

    /// The TER metric these options describe.
    var ter: TER {
        TER(
            normalized: options.ter.normalized, noPunctuation: options.ter.noPunct,
            asianSupport: options.ter.asianSupport, caseSensitive: options.ter.caseSensitive)
    }
}
