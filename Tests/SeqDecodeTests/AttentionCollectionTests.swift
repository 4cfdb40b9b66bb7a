import SeqDecode
import SeqModels
import Testing

/// `AttentionOptions`: every search returns, for each hypothesis, the attention rows of the
/// steps that produced its tokens (the toy's fake attention depends on the source and prefix,
/// so a row left behind by a beam reordering shows), and nothing when not asked.
@Suite struct AttentionCollectionTests {
    static let sources = BatchInvarianceTests.sources

    /// `strategy` with `options`.
    static func collecting(
        _ strategy: any SearchStrategy, _ options: AttentionOptions? = AttentionOptions()
    ) -> any SearchStrategy {
        var copy = strategy
        copy.attention = options
        return copy
    }

    /// The attention the toy reported when it produced each of `tokens` for `source`.
    static func expectedAttention(source: [Int32], tokens: [Int32], layer: Int) -> [[Float]] {
        tokens.indices.map { index in
            toyAttention(source: source, prefix: [0] + tokens[..<index], layer: layer)
        }
    }

    @Test(arguments: BatchInvarianceTests.strategies.indices)
    func everyHypothesisCarriesTheRowsOfItsOwnSteps(strategyIndex: Int) {
        let (name, strategy) = BatchInvarianceTests.strategies[strategyIndex]
        let model = ToyDecoder.hashed(vocabularySize: 37)
        for (options, layer) in [(AttentionOptions(), 1), (AttentionOptions(layer: 0), 0)] {
            let results = Self.collecting(strategy, options).search(model, sources: Self.sources)
            for (source, result) in zip(Self.sources, results) {
                for hypothesis in result.hypotheses {
                    let expected = Self.expectedAttention(
                        source: source, tokens: hypothesis.tokens, layer: layer)
                    #expect(hypothesis.attention == expected, "\(name), source \(source)")
                }
            }
        }
    }

    @Test(arguments: BatchInvarianceTests.strategies.indices)
    func collectingChangesNothingElse(strategyIndex: Int) {
        let (name, strategy) = BatchInvarianceTests.strategies[strategyIndex]
        let model = ToyDecoder.hashed(vocabularySize: 37)
        let plain = strategy.search(model, sources: Self.sources)
        #expect(plain.allSatisfy { $0.hypotheses.allSatisfy { $0.attention == nil } }, "\(name)")
        var collected = Self.collecting(strategy).search(model, sources: Self.sources)
        #expect(
            collected.allSatisfy { $0.hypotheses.allSatisfy { $0.attention != nil } }, "\(name)")
        for index in collected.indices {
            for rank in collected[index].hypotheses.indices {
                collected[index].hypotheses[rank].attention = nil
            }
        }
        #expect(collected == plain, "\(name)")
    }

    @Test(arguments: BatchInvarianceTests.strategies.indices)
    func modelsWithoutAttentionReportNone(strategyIndex: Int) {
        let (name, strategy) = BatchInvarianceTests.strategies[strategyIndex]
        let toy = ToyDecoder.hashed(vocabularySize: 37)
        let results = Self.collecting(strategy).search(
            PlainToyDecoder(toy: toy), sources: Self.sources)
        #expect(results == strategy.search(toy, sources: Self.sources), "\(name)")
    }

    @Test func hardAlignmentTakesTheFirstLargestWeightOfRealTokens() {
        // Source "a b c </s>" (ids 5 6 7 1); tokens "x y </s>".
        let hypothesis = Hypothesis(
            tokens: [8, 9, 1], score: 0, sumLogProbabilities: 0, isFinished: true,
            attention: [[0.1, 0.6, 0.1, 0.2], [0.3, 0.1, 0.3, 0.3], [0.1, 0.1, 0.1, 0.7]])
        let links = hypothesis.hardAlignment(source: [5, 6, 7, 1], ignoring: [1, 0])
        #expect(
            links == [AlignmentLink(source: 1, target: 0), AlignmentLink(source: 0, target: 1)])
        #expect(links?.map(\.description) == ["1-0", "0-1"])
        // The source's end token is never chosen, even with the largest weight.
        let toEnd = Hypothesis(
            tokens: [8], score: 0, sumLogProbabilities: 0, isFinished: false,
            attention: [[0.2, 0.1, 0.3, 0.4]])
        #expect(
            toEnd.hardAlignment(source: [5, 6, 7, 1], ignoring: [1])
                == [AlignmentLink(source: 2, target: 0)])
        let without = Hypothesis(tokens: [8], score: 0, sumLogProbabilities: 0, isFinished: false)
        #expect(without.hardAlignment(source: [5, 1], ignoring: [1]) == nil)
    }
}
