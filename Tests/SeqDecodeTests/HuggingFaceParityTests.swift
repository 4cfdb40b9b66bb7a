import Foundation
import SeqDecode
import Testing

/// Parity with Hugging Face `generate()` on the hashed toy (tools/fixtures/make_toy_search.py:
/// transformers' own greedy, beam and group beam search over a custom `PreTrainedModel` whose
/// logits are the toy's table).
@Suite struct HuggingFaceParityTests {
    private struct ToySearchFixture: Decodable {
        struct Probe: Decodable {
            let source: [Int32]
            let prefix: [Int32]
            let logits: [Float]
        }
        struct Expected: Decodable {
            let tokens: [Int32]
            let isFinished: Bool
            let sumLogProbabilities: Float
            let score: Float?
        }
        struct Case: Decodable {
            let name: String
            let settings: Settings
            let results: [[Expected]]
        }
        let probes: [Probe]
        let sources: [[Int32]]
        let tolerance: Float
        let cases: [Case]
    }

    /// The `generate()` keyword arguments of one case.
    private struct Settings: Decodable {
        var beams = 1
        var groups = 1
        var diversityPenalty: Float = 0
        var lengthPenalty: Float = 1
        var earlyStopping = EarlyStopping.false
        var returnSequences = 1
        var noRepeatNGramSize = 0
        var repetitionPenalty: Float = 1
        var badWords: [[Int32]] = []
        var minNewTokens = 0

        enum CodingKeys: String, CodingKey {
            case beams = "num_beams"
            case groups = "num_beam_groups"
            case diversityPenalty = "diversity_penalty"
            case lengthPenalty = "length_penalty"
            case earlyStopping = "early_stopping"
            case returnSequences = "num_return_sequences"
            case noRepeatNGramSize = "no_repeat_ngram_size"
            case repetitionPenalty = "repetition_penalty"
            case badWords = "bad_words_ids"
            case minNewTokens = "min_new_tokens"
        }

        init(from decoder: any Decoder) throws {
            let keyed = try decoder.container(keyedBy: CodingKeys.self)
            beams = try keyed.decodeIfPresent(Int.self, forKey: .beams) ?? beams
            groups = try keyed.decodeIfPresent(Int.self, forKey: .groups) ?? groups
            diversityPenalty =
                try keyed.decodeIfPresent(Float.self, forKey: .diversityPenalty) ?? 0
            lengthPenalty = try keyed.decodeIfPresent(Float.self, forKey: .lengthPenalty) ?? 1
            if let flag = try? keyed.decodeIfPresent(Bool.self, forKey: .earlyStopping) {
                earlyStopping = flag ? .true : .false
            } else if try keyed.decodeIfPresent(String.self, forKey: .earlyStopping) == "never" {
                earlyStopping = .never
            }
            returnSequences = try keyed.decodeIfPresent(Int.self, forKey: .returnSequences) ?? 1
            noRepeatNGramSize =
                try keyed.decodeIfPresent(Int.self, forKey: .noRepeatNGramSize) ?? 0
            repetitionPenalty =
                try keyed.decodeIfPresent(Float.self, forKey: .repetitionPenalty) ?? 1
            badWords = try keyed.decodeIfPresent([[Int32]].self, forKey: .badWords) ?? []
            minNewTokens = try keyed.decodeIfPresent(Int.self, forKey: .minNewTokens) ?? 0
        }

        /// Our strategy with the same settings, processors in Hugging Face's order.
        var strategy: any SearchStrategy {
            var processors: [any LogitProcessor] = []
            if repetitionPenalty != 1 { processors.append(RepetitionPenalty(repetitionPenalty)) }
            if noRepeatNGramSize > 0 { processors.append(NoRepeatNGram(size: noRepeatNGramSize)) }
            if !badWords.isEmpty { processors.append(BadWords(badWords)) }
            let length = LengthLimit(maxNewTokens: 12, minNewTokens: minNewTokens)
            if beams == 1 { return GreedySearch(length: length, processors: processors) }
            if groups > 1 {
                return DiverseBeamSearch(
                    beamSize: beams, groups: groups, diversityPenalty: diversityPenalty,
                    lengthPenalty: lengthPenalty, earlyStopping: earlyStopping,
                    nBest: returnSequences, length: length, processors: processors)
            }
            return BeamSearch(
                beamSize: beams, lengthPenalty: lengthPenalty, earlyStopping: earlyStopping,
                nBest: returnSequences, length: length, processors: processors)
        }
    }

    private static func load() throws -> ToySearchFixture {
        let url = try #require(
            Bundle.module.url(
                forResource: "toy_search", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(ToySearchFixture.self, from: Data(contentsOf: url))
    }

    @Test func toyLogitsMatchThePythonTable() throws {
        let fixture = try Self.load()
        for probe in fixture.probes {
            let logits = hashedLogits(
                source: probe.source, prefix: probe.prefix, vocabularySize: 16, seed: 2024)
            #expect(logits == probe.logits, "source \(probe.source), prefix \(probe.prefix)")
        }
    }

    @Test(arguments: [
        "greedy", "greedy_processors", "beam_early_true", "beam_early_false", "beam_early_never",
        "beam_length_penalty_0", "beam_length_penalty_2", "beam_length_penalty_negative",
        "beam_width_2", "beam_processors", "group_beam", "group_beam_single_beams",
        "group_beam_never",
    ])
    func matchesGenerate(caseName: String) throws {
        let fixture = try Self.load()
        let testCase = try #require(fixture.cases.first { $0.name == caseName })
        let results = testCase.settings.strategy.search(
            ToyDecoder.hashed(), sources: fixture.sources)
        #expect(results.count == testCase.results.count)
        for (source, (result, expected)) in zip(results, testCase.results).enumerated() {
            #expect(result.hypotheses.count == expected.count, "\(caseName) source \(source)")
            for (rank, (ours, theirs)) in zip(result.hypotheses, expected).enumerated() {
                let label = "\(caseName) source \(source) rank \(rank)"
                #expect(ours.tokens == theirs.tokens, "\(label)")
                #expect(ours.isFinished == theirs.isFinished, "\(label)")
                #expect(
                    abs(ours.sumLogProbabilities - theirs.sumLogProbabilities)
                        <= fixture.tolerance, "\(label)")
                if let score = theirs.score {
                    #expect(abs(ours.score - score) <= fixture.tolerance, "\(label)")
                }
            }
        }
    }
}
