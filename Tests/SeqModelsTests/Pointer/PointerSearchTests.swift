import SeqDecode
import SeqModels
import SeqNN
import SeqTensor
import Testing

/// Decoding a PointerNetwork through SeqDecode's searches with the constraint masks.
@Suite struct PointerSearchTests {
    private func model(constraint: PointerConstraint, seed: UInt64) -> PointerNetwork {
        var generator = SeededGenerator(seed: seed)
        return PointerNetwork(
            config: tinyPointerConfig(glimpseCount: 1, constraint: constraint), using: &generator)
    }

    private func batch(lengths: [Int], seed: UInt64) -> PointerBatch {
        var generator = SeededGenerator(seed: seed)
        return PointerBatch(
            inputs: randomInputs(lengths: lengths, elementSize: 2, using: &generator),
            elementSize: 2)
    }

    @Test(arguments: [1, 2, 3, 5])
    func beamSearchWithTheTourConstraintAlwaysReturnsValidTours(beamSize: Int) {
        let lengths = [5, 2, 7, 1, 4, 6, 3, 5]
        let batch = batch(lengths: lengths, seed: 41)
        for seed in 0..<3 as Range<UInt64> {
            let decoder = PointerSearchDecoder(
                model: model(constraint: .unconstrained, seed: seed), batch: batch,
                constraint: .permutation)
            let search = BeamSearch(
                beamSize: beamSize, nBest: beamSize,
                length: LengthLimit(maxNewTokens: decoder.maxNewTokens))
            let results = search.search(decoder, sources: decoder.sources)
            #expect(results.count == lengths.count)
            for (result, length) in zip(results, lengths) {
                let best = result.best
                #expect(best.isFinished && best.tokens.last == 0)
                let tour = PointerSearchDecoder.positions(of: best.tokens)
                #expect(
                    PointerConstraint.permutation.allows(tour, length: length),
                    "beam \(beamSize): \(tour) is not a tour of \(length) cities")
            }
        }
    }

    @Test func unconstrainedDecodingOfAnUntrainedModelRepeats() {
        let batch = batch(lengths: [6, 6, 6, 6], seed: 42)
        let decoder = PointerSearchDecoder(
            model: model(constraint: .unconstrained, seed: 5), batch: batch)
        let results = GreedySearch(length: LengthLimit(maxNewTokens: decoder.maxNewTokens))
            .search(decoder, sources: decoder.sources)
        let outputs = results.map { PointerSearchDecoder.positions(of: $0.best.tokens) }
        #expect(outputs.contains { !PointerConstraint.permutation.allows($0, length: 6) })
    }

    @Test func noRepeatsNeverRepeatsAPosition() {
        let lengths = [4, 6, 3, 5]
        let batch = batch(lengths: lengths, seed: 43)
        let decoder = PointerSearchDecoder(
            model: model(constraint: .noRepeats, seed: 6), batch: batch)
        #expect(decoder.constraint == .noRepeats)
        for strategy in [
            GreedySearch(length: LengthLimit(maxNewTokens: decoder.maxNewTokens))
                as any SearchStrategy,
            BeamSearch(beamSize: 3, length: LengthLimit(maxNewTokens: decoder.maxNewTokens)),
            Sampling(
                seed: 9, samples: 4, length: LengthLimit(maxNewTokens: decoder.maxNewTokens)),
        ] {
            let results = strategy.search(decoder, sources: decoder.sources)
            for (result, length) in zip(results, lengths) {
                for hypothesis in result.hypotheses {
                    let positions = PointerSearchDecoder.positions(of: hypothesis.tokens)
                    #expect(PointerConstraint.noRepeats.allows(positions, length: length))
                }
            }
        }
    }

    @Test func greedySearchEqualsBeamSearchOfWidthOne() {
        let batch = batch(lengths: [5, 3, 6, 4, 2], seed: 44)
        for constraint in PointerConstraint.allCases {
            let decoder = PointerSearchDecoder(
                model: model(constraint: constraint, seed: 7), batch: batch)
            let length = LengthLimit(maxNewTokens: decoder.maxNewTokens)
            let greedy = GreedySearch(length: length).search(decoder, sources: decoder.sources)
            let beam = BeamSearch(beamSize: 1, lengthPenalty: 0, length: length)
                .search(decoder, sources: decoder.sources)
            #expect(greedy.map(\.best.tokens) == beam.map(\.best.tokens), "\(constraint)")
        }
    }

    @Test func aSourceDecodesTheSameAloneAndInTheBatch() {
        let batch = batch(lengths: [5, 3, 6], seed: 45)
        let decoder = PointerSearchDecoder(
            model: model(constraint: .permutation, seed: 8), batch: batch)
        let search = BeamSearch(
            beamSize: 3, length: LengthLimit(maxNewTokens: decoder.maxNewTokens))
        let all = search.search(decoder, sources: decoder.sources)
        let second = search.search(decoder, sources: [[1]])
        #expect(second[0].best.tokens == all[1].best.tokens)
    }
}
