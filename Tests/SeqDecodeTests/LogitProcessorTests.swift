import Foundation
import SeqDecode
import Testing

/// Each logit processor on hand-made rows, and end to end inside searches.
@Suite struct LogitProcessorTests {
    private func row(_ tokens: [Int32], maxNewTokens: Int = 10) -> DecodingRow {
        DecodingRow(source: 0, tokens: tokens, maxNewTokens: maxNewTokens)
    }

    @Test func repetitionPenaltyScalesPresentTokensOnce() {
        var scores: [Float] = [-1, 2, -3, 4, -5]
        RepetitionPenalty(2).process(&scores, rows: [row([0, 1, 2, 2, 1])])
        #expect(scores == [-2, 1, -6, 4, -5])
    }

    @Test func noRepeatNGramBansCompletedNGrams() {
        var scores = [Float](repeating: 0, count: 8)
        // Bigrams so far: (0 5) (5 6) (6 5); the row ends with 5, so 6 is banned.
        NoRepeatNGram(size: 2).process(&scores, rows: [row([0, 5, 6, 5])])
        #expect(scores.indices.filter { scores[$0] == -.infinity } == [6])
        var trigram = [Float](repeating: 0, count: 8)
        NoRepeatNGram(size: 3).process(&trigram, rows: [row([0, 5, 6, 7, 5, 6])])
        #expect(trigram.indices.filter { trigram[$0] == -.infinity } == [7])
        var unigram = [Float](repeating: 0, count: 8)
        NoRepeatNGram(size: 1).process(&unigram, rows: [row([0, 3])])
        #expect(unigram.indices.filter { unigram[$0] == -.infinity } == [0, 3])
    }

    @Test func badWordsBanSingleAndMultiTokenSequences() {
        let processor = BadWords([[3], [5, 6], [7, 4, 2]])
        var scores = [Float](repeating: 0, count: 32)
        processor.process(
            &scores, rows: [row([0, 5]), row([0, 7, 4]), row([0, 4]), row([7])])
        let banned = (0..<4).map { r in (0..<8).filter { scores[r * 8 + $0] == -.infinity } }
        #expect(banned == [[3, 6], [2, 3], [3], [3]])
    }

    @Test func minLengthBansTheEndUntilEnoughTokens() {
        var scores = [Float](repeating: 0, count: 8)
        MinLength(minNewTokens: 2, endID: 1).process(
            &scores, rows: [row([0, 4]), row([0, 4, 5])])
        #expect(scores[1] == -.infinity && scores[5] == 0)
    }

    private let banned = -Float.infinity

    @Test func forcedTokensOverrideTheRow() {
        let values: [Float] = [-1, -2, -3, -4, -5, -6]
        var first = values + values
        ForcedBOSToken(4).process(&first, rows: [row([0]), row([0, 2])])
        let forcedFirst: [Float] = [banned, banned, banned, banned, 0, banned]
        #expect(first == forcedFirst + values)
        var last: [Float] = [-1, -2, -3, -4, -1, -2, -3, -4]
        ForcedEOSToken(1).process(&last, rows: [row([0, 2, 3], maxNewTokens: 3), row([0, 2])])
        let forcedLast: [Float] = [banned, 0, banned, banned, -1, -2, -3, -4]
        #expect(last == forcedLast)
    }

    @Test func suppressTokensBansAlwaysOrAtTheFirstStep() {
        var always: [Float] = [0, 0, 0, 0, 0, 0]
        SuppressTokens([2]).process(&always, rows: [row([0]), row([0, 3])])
        let bannedTwice: [Float] = [0, 0, banned, 0, 0, banned]
        #expect(always == bannedTwice)
        var atStart: [Float] = [0, 0, 0, 0, 0, 0]
        SuppressTokens([2], onlyAtFirstStep: true).process(
            &atStart, rows: [row([0]), row([0, 3])])
        let bannedOnce: [Float] = [0, 0, banned, 0, 0, 0]
        #expect(atStart == bannedOnce)
    }

    @Test func targetPrefixKeepsTheModelsLogProbability() {
        let values: [Float] = [-1, -2, -3, -4, -5, -6]
        var scores = values + values
        TargetPrefix([3, 2]).process(&scores, rows: [row([0]), row([0, 3, 2])])
        let forced: [Float] = [banned, banned, banned, -4, banned, banned]
        #expect(scores == forced + values)
        var perSource: [Float] = [-1, -2, -3, -4, -5, -6]
        TargetPrefix(perSource: [[2], [1]]).process(
            &perSource,
            rows: [
                DecodingRow(source: 1, tokens: [0], maxNewTokens: 5),
                DecodingRow(source: 0, tokens: [0], maxNewTokens: 5),
            ])
        let expected: [Float] = [banned, -2, banned, banned, banned, -6]
        #expect(perSource == expected)
    }

    @Test func searchesHonourProcessors() {
        let model = ToyDecoder.hashed()
        let sources: [[Int32]] = [[3, 4, 5], [6, 7], [8, 9, 10, 11, 12], [13]]
        let length = LengthLimit(maxNewTokens: 12, minNewTokens: 4)
        let strategies: [any SearchStrategy] = [
            GreedySearch(length: length, processors: [NoRepeatNGram(size: 1), TargetPrefix([9])]),
            BeamSearch(
                beamSize: 3, nBest: 3, length: length,
                processors: [NoRepeatNGram(size: 1), TargetPrefix([9])]),
            DiverseBeamSearch(
                beamSize: 4, groups: 2, diversityPenalty: 0.5, nBest: 4, length: length,
                processors: [NoRepeatNGram(size: 1), TargetPrefix([9])]),
            Sampling(
                seed: 1, samples: 3, length: length,
                processors: [NoRepeatNGram(size: 1), TargetPrefix([9])]),
        ]
        for strategy in strategies {
            for result in strategy.search(model, sources: sources) {
                for hypothesis in result.hypotheses {
                    #expect(hypothesis.tokens.first == 9)
                    #expect(Set(hypothesis.tokens).count == hypothesis.tokens.count)
                    #expect(hypothesis.tokens.count >= 5 || !hypothesis.isFinished)
                }
            }
        }
    }
}
