import Foundation
import SeqMetrics
import Testing

/// `Fixtures/mbr_oracle.json`, written by `tools/fixtures/make_mbr.py` with sacrebleu 2.6.0.
private struct MBROracleFixture: Decodable {
    struct Selection: Decodable {
        var expectedUtilities: [Double]
        var choice: Int
    }

    struct MBRCase: Decodable {
        var candidates: [String]
        var chrf: Selection
        var bleu: Selection
    }

    struct OracleCase: Decodable {
        var nbest: [[String]]
        var references: [[String?]]
        var sentenceBleu: [[Double]]
        var choices: [Int?]
        var oracleBleu: Double
    }

    var mbr: [MBRCase]
    var oracle: [OracleCase]

    static func load() throws -> MBROracleFixture {
        let url = try #require(
            Bundle.module.url(
                forResource: "mbr_oracle", withExtension: "json", subdirectory: "Fixtures"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(MBROracleFixture.self, from: Data(contentsOf: url))
    }
}

/// Minimum Bayes-risk selection, n-best oracle BLEU and distinct-n.
@Suite struct MinimumBayesRiskTests {
    @Test func expectedUtilitiesMatchSacrebleu() throws {
        let fixture = try MBROracleFixture.load()
        #expect(fixture.mbr.count >= 10)
        for (index, item) in fixture.mbr.enumerated() {
            let selections: [(String, MinimumBayesRisk.Utility, MBROracleFixture.Selection)] = [
                ("chrF", .chrF(), item.chrf), ("BLEU", .bleu(), item.bleu),
            ]
            for (name, utility, expected) in selections {
                let mbr = MinimumBayesRisk(utility: utility)
                let utilities = mbr.expectedUtilities(of: item.candidates)
                #expect(utilities.count == expected.expectedUtilities.count)
                for (ours, theirs) in zip(utilities, expected.expectedUtilities) {
                    #expect(abs(ours - theirs) < 1e-9, "case \(index) \(name): \(utilities)")
                }
                let choice = mbr.select(from: item.candidates)
                #expect(choice.index == expected.choice, "case \(index) \(name)")
                #expect(
                    abs(choice.expectedUtility - expected.expectedUtilities[choice.index]) < 1e-9)
            }
        }
    }

    @Test func tiesGoToTheEarliestAndOneCandidateIsChosen() {
        let mbr = MinimumBayesRisk()
        // Two identical candidates agree with each other equally: the first wins.
        let twins = mbr.select(from: ["x y z", "x y z"])
        #expect(twins.index == 0)
        #expect(twins.expectedUtility == 100)
        // The odd one out loses even when listed first; the later twin ties the earlier one.
        #expect(mbr.select(from: ["far away", "x y z", "x y z"]).index == 1)
        // A single candidate has no other to agree with.
        #expect(mbr.select(from: ["alone"]) == .init(index: 0, expectedUtilities: [0]))
        #expect(mbr.expectedUtilities(of: []) == [])
        // The candidate is excluded from its own expectation: against the other only.
        let pair = mbr.expectedUtilities(of: ["a b c", "a b c d"])
        #expect(pair[0] == ChrF().sentenceScore(hypothesis: "a b c", references: ["a b c d"]).score)
        #expect(pair[1] == ChrF().sentenceScore(hypothesis: "a b c d", references: ["a b c"]).score)
    }

    @Test func oracleMatchesSacrebleu() throws {
        let fixture = try MBROracleFixture.load()
        let oracle = NBestOracle()
        for (index, item) in fixture.oracle.enumerated() {
            #expect(
                oracle.choices(nBest: item.nbest, references: item.references) == item.choices,
                "case \(index)")
            let score = oracle.corpusScore(nBest: item.nbest, references: item.references).score
            #expect(abs(score - item.oracleBleu) < 1e-9, "case \(index): \(score)")
            for (segment, entries) in item.nbest.enumerated() {
                let references = item.references.compactMap { $0[segment] }
                for (entry, expected) in zip(entries, item.sentenceBleu[segment]) {
                    let ours = BLEU(effectiveOrder: true).sentenceScore(
                        hypothesis: entry, references: references
                    ).score
                    #expect(abs(ours - expected) < 1e-9, "case \(index) segment \(segment)")
                }
            }
        }
    }

    @Test func oracleOnAHandCheckedCase() {
        // Segment 1 holds the reference itself at rank 2; segment 2's only entry is exact.
        let nBest = [["a b c d e", "a b c d x"], ["p q r s", "p q r s t"], ["k l m n"]]
        let references: [[String?]] = [["a b c d x", "p q r s t", "k l m n"]]
        let oracle = NBestOracle()
        #expect(oracle.choices(nBest: nBest, references: references) == [1, 1, 0])
        // Every choice equals its reference: corpus BLEU 100.
        let score = oracle.corpusScore(nBest: nBest, references: references)
        #expect(abs(score.score - 100) < 1e-9)
        // Ties go to the better-ranked entry; an empty list chooses nothing.
        let tie = oracle.choices(nBest: [["u v", "u v"], []], references: [["u v w", "z"]])
        #expect(tie == [0, nil])
    }

    @Test func distinctNGramsPerWordAsInDiverseBeamSearch() {
        let texts = ["the cat the cat", "the\u{A0}dog"]
        // Bigrams: (the cat) (cat the) (the cat) | (the dog) -> 3 distinct over 6 words.
        #expect(DistinctNGrams.ratio(of: texts, order: 2, dividingBy: .words) == 0.5)
        // Unigrams: 3 distinct over 6 words either way.
        #expect(DistinctNGrams.ratio(of: texts, order: 1, dividingBy: .words) == 0.5)
        // Four-grams: only (the cat the cat) -> 1 over 6 words.
        #expect(DistinctNGrams.ratio(of: texts, order: 4, dividingBy: .words) == 1.0 / 6.0)
        #expect(DistinctNGrams.ratio(of: texts, order: 5, dividingBy: .words) == 0)
    }
}
