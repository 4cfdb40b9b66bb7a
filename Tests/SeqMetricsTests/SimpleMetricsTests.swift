import SeqMetrics
import Testing

/// Exact match, token accuracy and distinct-n on hand-counted inputs.
@Suite struct SimpleMetricsTests {
    @Test func exactMatchComparesCodePoints() {
        let rate = ExactMatch.rate(
            hypotheses: ["a b", "caf\u{E9}", "x ", "y"],
            references: ["a b", "cafe\u{301}", "x", "y"])
        #expect(rate == 0.5)
        #expect(ExactMatch.rate(hypotheses: [], references: []) == 0)
    }

    @Test func tokenAccuracyCountsMissingAndExtraTokensAsWrong() {
        // 2 of 3, 1 of 3 (one extra), 0 of 2 (both missing): 3 / 8.
        let rate = TokenAccuracy.rate(
            predictions: [[1, 2, 3], [4, 5, 6], []], targets: [[1, 2, 0], [4, 0], [7, 8]])
        #expect(rate == 3.0 / 8.0)
        #expect(TokenAccuracy.rate(predictions: [[Int]](), targets: []) == 0)
    }

    @Test func distinctNGramsCountsAcrossTexts() {
        let texts = ["the cat the cat", "the\u{A0}dog"]
        // Unigrams: the, cat, the, cat, the, dog -> 3 distinct of 6.
        #expect(DistinctNGrams.ratio(of: texts, order: 1) == 0.5)
        // Bigrams: (the cat) (cat the) (the cat) | (the dog) -> 3 distinct of 4.
        #expect(DistinctNGrams.ratio(of: texts, order: 2) == 0.75)
        #expect(DistinctNGrams.ratio(of: texts, order: 5) == 0)
    }
}
