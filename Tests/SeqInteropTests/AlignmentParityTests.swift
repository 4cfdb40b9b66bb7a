import Foundation
import SeqDecode
import SeqInterop
import SeqModels
import SeqTensor
import SeqTesting
import Testing

/// Cross attention collected by our searches against transformers' `generate(...,
/// output_attentions=True)` on the tiny Marian, T5 and BART checkpoints
/// (`tools/fixtures/make_alignment.py`): the last decoder layer averaged over its heads, for
/// every generated token of the best sequence, greedy and with 3 beams.
@Suite struct AlignmentParityTests {
    private struct AlignmentFixture: Decodable {
        struct Settings: Decodable {
            var numBeams: Int
            var earlyStopping: Bool?

            enum CodingKeys: String, CodingKey {
                case numBeams = "num_beams"
                case earlyStopping = "early_stopping"
            }
        }
        struct Result: Decodable {
            var source: [Int32]
            var tokens: [Int32]
            var attention: [[Float]]
        }
        struct Mode: Decodable {
            var settings: Settings
            var results: [Result]
        }
        struct Meta: Decodable {
            var tolerance: Float
        }
        var meta: Meta
        var models: [String: [String: Mode]]
    }

    private static func load() throws -> AlignmentFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/alignment.json")
        return try JSONDecoder().decode(AlignmentFixture.self, from: Data(contentsOf: url))
    }

    /// The largest difference between two attention matrices of the same shape, or `nil` when
    /// the shapes differ.
    private static func largestDifference(_ ours: [[Float]], _ theirs: [[Float]]) -> Float? {
        guard ours.map(\.count) == theirs.map(\.count) else { return nil }
        return zip(ours, theirs).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? 0
    }

    @Test(arguments: ["marian-tiny-en-de", "t5-tiny", "bart-tiny"], ["greedy", "beam"])
    func attentionMatchesGenerate(name: String, mode: String) throws {
        let fixture = try Self.load()
        let expected = try #require(fixture.models[name]?[mode])
        let checkpoint = try HuggingFaceCheckpoint(
            contentsOf: try CheckpointFixture.directory(name))
        let model = try checkpoint.makeModel()
        var defaults = checkpoint.generation
        defaults.beamSize = expected.settings.numBeams
        defaults.earlyStopping = expected.settings.earlyStopping == true ? .true : .false
        defaults.nBest = 1
        var strategy = defaults.strategy(endID: model.endID)
        strategy.attention = AttentionOptions()
        let results = withoutGradients {
            strategy.search(model, sources: expected.results.map(\.source))
        }
        for (index, (result, reference)) in zip(results, expected.results).enumerated() {
            let label = "\(name) \(mode) source \(index)"
            #expect(result.best.tokens == reference.tokens, "\(label)")
            let attention = try #require(result.best.attention, "\(label): no attention")
            let difference = Self.largestDifference(attention, reference.attention)
            #expect(
                difference.map { $0 <= fixture.meta.tolerance } == true,
                "\(label): largest attention difference \(String(describing: difference))")
        }
    }

    /// `seq2seq generate --output-attentions` on the imported Marian checkpoint prints the same
    /// weights.
    @Test func generateCommandPrintsTheReferenceAttention() throws {
        struct Output: Decodable {
            var sequences: [[Int32]]
            var attentions: [[[Float]]]
        }
        let fixture = try Self.load()
        let expected = try #require(fixture.models["marian-tiny-en-de"]?["greedy"])
        let files = try TemporaryDirectory()
        let model = files.url.appendingPathComponent("model").path
        let imported = try runCLI([
            "import", "hf", try CheckpointFixture.directory("marian-tiny-en-de").path,
            "--output", model,
        ])
        #expect(imported.status == 0, "\(imported.standardError)")
        let input = expected.results.map {
            "[" + $0.source.map(String.init).joined(separator: ",") + "]\n"
        }.joined()
        let run = try runCLI(
            ["generate", "--model", model, "--beam", "1", "--output-attentions"], input: input)
        #expect(run.status == 0, "\(run.standardError)")
        let outputs = try run.standardOutput.split(separator: "\n").map {
            try JSONDecoder().decode(Output.self, from: Data($0.utf8))
        }
        #expect(outputs.count == expected.results.count)
        for (output, reference) in zip(outputs, expected.results) {
            #expect(output.sequences.first.map { Array($0.dropFirst()) } == reference.tokens)
            let difference = output.attentions.first.flatMap {
                Self.largestDifference($0, reference.attention)
            }
            #expect(difference.map { $0 <= fixture.meta.tolerance } == true)
        }
    }
}
