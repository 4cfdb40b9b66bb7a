import Foundation
import Testing

/// A Hugging Face checkpoint with its reference outputs (`fixture.json`), from the shared
/// fixtures next to the package (`../shared/fixtures/checkpoints/<name>`; see the README
/// there for every field).
struct CheckpointFixture: Decodable {
    struct Checksum: Decodable {
        var sum: Double
        var sumAbs: Double
        var sumSq: Double
        var count: Int
    }

    struct SpecialIDs: Decodable {
        var decoderStart: Int32
        var eos: Int32
        var pad: Int32
    }

    struct Tokenizer: Decodable {
        var kind: String
        var sourcePieces: [[String]]
        var targetPieces: [[String]]
    }

    struct Inputs: Decodable {
        var texts: [String]?
        var tokenIdsUnpadded: [[Int32]]
        var inputIds: [[Int32]]
        var targetTexts: [String]?
        var targetTokenIds: [[Int32]]?
    }

    struct Encoder: Decodable {
        struct Checksums: Decodable {
            var allPositions: Checksum
            var validPositions: Checksum
            var perSequenceValid: [Checksum]
        }
        var shape: [Int]
        var firstValuesCount: Int
        var firstValues: [[[Float]]]
        var checksums: Checksums
    }

    struct Decoder: Decodable {
        struct Checksums: Decodable {
            var all: Checksum
            var perPosition: [[Checksum]]
        }
        var decoderInputIds: [[Int32]]
        var logitsShape: [Int]
        var fullLogitsPositions: Int
        var fullLogits: [[[Float]]]
        var argmax: [[Int]]
        var checksums: Checksums
    }

    struct Settings: Decodable {
        var maxNewTokens: Int
        var numBeams: Int
        var numBeamGroups: Int
        var diversityPenalty: Float
        var lengthPenalty: Float
        var earlyStopping: Bool
        var numReturnSequences: Int
        var badWordsIds: [[Int32]]?
    }

    struct Generation: Decodable {
        var settings: Settings
        var sequences: [[Int32]]
        var sequencesScores: [Double]?
        var sumLogprobs: [Double]
        var finishedWithEos: [Bool]
        var decodedText: [String]
    }

    var name: String
    var modelType: String
    var vocabSize: Int
    var specialTokenIds: SpecialIDs
    /// The tokenizer's reference pieces; `nil` for the local fixtures without a tokenizer.
    var tokenizer: Tokenizer?
    var inputs: Inputs
    var encoder: Encoder
    var decoder: Decoder
    var generation: [String: Generation]

    /// The results of generation mode `mode` (such as `beam_search`).
    func generation(_ mode: String) throws -> Generation {
        // The snake-case key strategy also renames dictionary keys: `beam_search` → `beamSearch`.
        let parts = mode.split(separator: "_").map(String.init)
        let camel = (parts.prefix(1) + parts.dropFirst().map(\.capitalized)).joined()
        return try #require(generation[mode] ?? generation[camel], "no generation mode \(mode)")
    }

    /// The two checkpoints of the shared fixtures, which have tokenizers.
    static let names = ["marian-tiny-en-de", "t5-tiny"]
    /// The checkpoints made by tools/fixtures/make_bart_tiny.py (BART, mBART, T5 v1.1), in this
    /// target's `Fixtures` folder; weights only.
    static let localNames = ["bart-tiny", "mbart-tiny", "t5-v1_1-tiny"]
    /// Every checkpoint.
    static let allNames = names + localNames
    /// The checkpoints with tokenizer files and reference pieces.
    static let tokenizerNames = names + ["bart-tiny"]
    /// The generation modes every fixture has.
    static let modes = [
        "greedy", "beam_search", "beam_search_early_stopping_false", "group_beam_search",
    ]

    /// The folder of checkpoint `name`.
    ///
    /// Looks for `shared/fixtures/checkpoints` next to the package root and next to each of its
    /// ancestors (CI keeps `../shared` beside the package; worktrees sit deeper); the local
    /// fixtures are in `Tests/SeqInteropTests/Fixtures`.
    static func directory(_ name: String) throws -> URL {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        if localNames.contains(name) {
            return tests.appendingPathComponent("Fixtures").appendingPathComponent(name)
        }
        let root = tests.deletingLastPathComponent().deletingLastPathComponent()
        var searched: [String] = []
        var base = root.deletingLastPathComponent()
        while true {
            let candidate = base.appendingPathComponent("shared/fixtures/checkpoints")
            searched.append(candidate.path)
            if FileManager.default.fileExists(atPath: candidate.path) {
                return candidate.appendingPathComponent(name)
            }
            let parent = base.deletingLastPathComponent()
            if parent.path == base.path { break }
            base = parent
        }
        let message =
            "the shared checkpoint fixtures are missing: looked for "
            + searched.joined(separator: ", ")
            + "; CI provides them as ../shared next to the package"
        Issue.record(Comment(rawValue: message))
        throw CocoaError(.fileNoSuchFile)
    }

    /// Loads `fixture.json` of checkpoint `name`.
    static func load(_ name: String) throws -> CheckpointFixture {
        let url = try directory(name).appendingPathComponent("fixture.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(CheckpointFixture.self, from: Data(contentsOf: url))
    }
}

/// Checks `{sum, sum_abs, sum_sq, count}` of `values` against `expected` with the fixtures'
/// tolerances: 1e-4 relative for `sum_abs` and `sum_sq`, `sum` within 1e-4 × `sum_abs`.
func expectChecksum(
    _ values: some Sequence<Float>, _ expected: CheckpointFixture.Checksum, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var (sum, sumAbs, sumSq, count) = (0.0, 0.0, 0.0, 0)
    for value in values {
        let x = Double(value)
        sum += x
        sumAbs += abs(x)
        sumSq += x * x
        count += 1
    }
    #expect(count == expected.count, "\(label): count", sourceLocation: sourceLocation)
    #expect(
        abs(sumAbs - expected.sumAbs) <= 1e-4 * expected.sumAbs,
        "\(label): sum_abs \(sumAbs) vs \(expected.sumAbs)", sourceLocation: sourceLocation)
    #expect(
        abs(sumSq - expected.sumSq) <= 1e-4 * expected.sumSq,
        "\(label): sum_sq \(sumSq) vs \(expected.sumSq)", sourceLocation: sourceLocation)
    #expect(
        abs(sum - expected.sum) <= 1e-4 * expected.sumAbs,
        "\(label): sum \(sum) vs \(expected.sum)", sourceLocation: sourceLocation)
}
