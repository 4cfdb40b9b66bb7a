import SeqDecode
import SeqTensor
import Testing

/// A source's output is the same alone, in any batch and in any order, attention included.
@Suite struct BatchInvarianceTests {
    static let sources: [[Int32]] = [
        [3, 4, 5], [6, 7], [8, 9, 10, 11, 12], [13], [2, 14, 15, 3], [20, 21, 22, 23, 24, 25], [30],
    ]

    static let strategies: [(String, any SearchStrategy)] = [
        ("greedy", GreedySearch(length: LengthLimit(maxNewTokens: 12))),
        (
            "greedy+processors",
            GreedySearch(
                length: LengthLimit(maxNewTokens: 12, minNewTokens: 2),
                processors: [NoRepeatNGram(size: 2), RepetitionPenalty(1.3)])
        ),
        ("beam false", BeamSearch(beamSize: 4, earlyStopping: .false, nBest: 3)),
        ("beam true", BeamSearch(beamSize: 3, lengthPenalty: 0.5, earlyStopping: .true)),
        (
            "beam never",
            BeamSearch(
                beamSize: 5, lengthPenalty: 2, earlyStopping: .never, nBest: 2,
                length: LengthLimit(
                    maxNewTokens: 12, sourceLengthFactor: 1.5, sourceLengthOffset: 2),
                processors: [TargetPrefix([5]), BadWords([[0], [4, 5]])])
        ),
        (
            "diverse",
            DiverseBeamSearch(
                beamSize: 6, groups: 3, diversityPenalty: 0.7, nBest: 4,
                processors: [RepetitionPenalty(1.3)])
        ),
        (
            "diverse singles",
            DiverseBeamSearch(
                beamSize: 4, groups: 4, diversityPenalty: 1.5, earlyStopping: .never, nBest: 4,
                length: LengthLimit(maxNewTokens: 10))
        ),
        ("sampling", Sampling(temperature: 0.8, topK: 5, topP: 0.9, seed: 11, samples: 2)),
        ("sampling min-p", Sampling(minP: 0.1, seed: 5, length: LengthLimit(maxNewTokens: 9))),
    ]

    @Test(arguments: strategies.indices)
    func resultsDoNotDependOnTheBatch(strategyIndex: Int) {
        let (name, plain) = Self.strategies[strategyIndex]
        let strategy = AttentionCollectionTests.collecting(plain)
        // A vocabulary that is not a multiple of 16 exercises the SIMD body and the tail.
        let model = ToyDecoder.hashed(vocabularySize: 37)
        let alone = Self.sources.map { strategy.search(model, sources: [$0])[0] }
        var generator = SeededGenerator(seed: 99)
        for batchSize in [2, 3, Self.sources.count] {
            let order = Array(Self.sources.indices).shuffled(using: &generator)
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let batch = Array(order[start..<min(start + batchSize, order.count)])
                let results = strategy.search(model, sources: batch.map { Self.sources[$0] })
                for (index, result) in zip(batch, results) {
                    expectSame(result, alone[index], "\(name), batch \(batchSize), source \(index)")
                }
            }
        }
    }

    private func expectSame(_ batched: SearchResult, _ single: SearchResult, _ label: String) {
        #expect(batched.hypotheses.map(\.tokens) == single.hypotheses.map(\.tokens), "\(label)")
        for (ours, reference) in zip(batched.hypotheses, single.hypotheses) {
            #expect(abs(ours.score - reference.score) <= 1e-5, "\(label)")
            #expect(
                abs(ours.sumLogProbabilities - reference.sumLogProbabilities) <= 1e-5, "\(label)")
            #expect(ours.isFinished == reference.isFinished, "\(label)")
            expectSameAttention(ours.attention, reference.attention, label)
        }
    }
}

/// Expects two attention matrices (present, as collected) of one shape, equal to 1e-5.
func expectSameAttention(
    _ batched: [[Float]]?, _ single: [[Float]]?, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        batched != nil && single != nil, "\(label): no attention", sourceLocation: sourceLocation)
    #expect(
        batched?.map(\.count) == single?.map(\.count), "\(label): attention shape",
        sourceLocation: sourceLocation)
    let differences = zip(batched ?? [], single ?? []).flatMap { zip($0, $1).map { abs($0 - $1) } }
    #expect(
        differences.allSatisfy { $0 <= 1e-5 }, "\(label): attention differs",
        sourceLocation: sourceLocation)
}
