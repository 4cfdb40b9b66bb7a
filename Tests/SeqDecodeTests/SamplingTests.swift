import Foundation
import SeqDecode
import Testing

/// Sampling: reproducible streams, truncation rules, and the distributions drawn from.
@Suite struct SamplingTests {
    static let sources: [[Int32]] = [
        [3, 4, 5], [6, 7], [8, 9, 10, 11, 12], [13], [2, 14, 15, 3],
    ]

    @Test func sameSeedGivesTheSameOutputs() {
        let model = ToyDecoder.hashed()
        let sampling = Sampling(temperature: 1.2, seed: 7, samples: 3)
        let first = sampling.search(model, sources: Self.sources)
        #expect(first == sampling.search(model, sources: Self.sources))
        var other = sampling
        other.seed = 8
        #expect(first != other.search(model, sources: Self.sources))
        #expect(first.allSatisfy { $0.hypotheses.count == 3 })
    }

    @Test func degenerateTruncationsEqualGreedy() {
        let model = ToyDecoder.hashed()
        let greedy = GreedySearch(length: LengthLimit(maxNewTokens: 12))
            .search(model, sources: Self.sources)
        let length = LengthLimit(maxNewTokens: 12)
        let samplers = [
            Sampling(topK: 1, seed: 1, length: length),
            Sampling(topP: 1e-6, seed: 2, length: length),
            Sampling(minP: 1, seed: 3, length: length),
            Sampling(temperature: 1e-3, seed: 4, length: length),
        ]
        for sampler in samplers {
            let sampled = sampler.search(model, sources: Self.sources)
            for (ours, reference) in zip(sampled, greedy) {
                #expect(ours.best.tokens == reference.best.tokens)
                #expect(abs(ours.best.score - reference.best.score) < 1e-5)
            }
        }
    }

    /// The first token is 2 with probability 0.7: 4000 draws land within 4σ (0.03).
    @Test func drawsFollowTheDistribution() {
        let model = ToyDecoder.table([[]: [2: 0.7, 3: 0.3]])
        let result = Sampling(seed: 11, samples: 4000).search(model, sources: [[7]])[0]
        let twos = result.hypotheses.filter { $0.tokens.first == 2 }.count
        #expect(abs(Double(twos) / 4000 - 0.7) < 0.03)
    }

    /// Probabilities 0.5, 0.3, 0.2: top-k 2, top-p 0.6 (the mass above token 4 is 0.8) and
    /// min-p 0.5 (4 has 0.2 < 0.25) each drop token 4 and keep both others.
    @Test func truncationsKeepTheRightTokens() {
        let model = ToyDecoder.table([[]: [2: 0.5, 3: 0.3, 4: 0.2]])
        let samplers = [
            Sampling(topK: 2, seed: 5, samples: 600),
            Sampling(topP: 0.6, seed: 6, samples: 600),
            Sampling(minP: 0.5, seed: 7, samples: 600),
            Sampling(topK: 3, topP: 0.6, seed: 8, samples: 600),
        ]
        for sampler in samplers {
            let firsts = Set(
                sampler.search(model, sources: [[7]])[0].hypotheses.compactMap(\.tokens.first))
            #expect(firsts == [2, 3])
        }
        let everything = Sampling(seed: 9, samples: 600).search(model, sources: [[7]])[0]
        #expect(Set(everything.hypotheses.compactMap(\.tokens.first)) == [2, 3, 4])
    }

    @Test func samplesAreOrderedBestFirstAndScoredByLogProbability() {
        let results = Sampling(seed: 3, samples: 5).search(ToyDecoder.hashed(), sources: [[3, 4]])
        let scores = results[0].hypotheses.map(\.score)
        #expect(scores == scores.sorted(by: >))
        for hypothesis in results[0].hypotheses {
            #expect(abs(hypothesis.score - hypothesis.sumLogProbabilities) < 1e-5)
        }
    }
}
