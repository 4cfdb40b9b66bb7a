import Foundation
import SeqDecode
import Testing

/// Diverse beam search on hand-computed tables.
@Suite struct DiverseBeamSearchTests {
    /// Beam search keeps both continuations of 2; with λ = 1 the second group pays 1 for
    /// repeating 2 at step 1 (log 0.5 − 1 < log 0.3) and takes 3 instead.
    @Test func groupsReturnDifferentOutputs() {
        let model = ToyDecoder.table([
            []: [2: 0.5, 3: 0.3, 4: 0.2],
            [2]: [5: 0.6, 6: 0.4],
        ])
        let beam = BeamSearch(beamSize: 2, earlyStopping: .true, nBest: 2)
            .search(model, sources: [[7]])[0]
        #expect(beam.hypotheses.map(\.tokens) == [[2, 5, 1], [2, 6, 1]])
        let diverse = DiverseBeamSearch(
            beamSize: 2, groups: 2, diversityPenalty: 1, earlyStopping: .true, nBest: 2
        ).search(model, sources: [[7]])[0]
        #expect(diverse.hypotheses.map(\.tokens) == [[2, 5, 1], [3, 1]])
        #expect(abs(diverse.hypotheses[0].score - Float(log(0.3) / 3)) < 1e-5)
        #expect(abs(diverse.hypotheses[1].score - Float(log(0.3) / 2)) < 1e-5)
    }

    /// With λ = 0.1 the second group still repeats 2 (log 0.6 − 0.1 > log 0.4): both groups
    /// return `2 end`, and the second one's score carries the penalty.
    @Test func penaltyIsIncludedInScoresButNotInLogProbabilities() {
        let model = ToyDecoder.table([[]: [2: 0.6, 3: 0.4]])
        let result = DiverseBeamSearch(
            beamSize: 2, groups: 2, diversityPenalty: 0.1, earlyStopping: .true, nBest: 2
        ).search(model, sources: [[7]])[0]
        #expect(result.hypotheses.map(\.tokens) == [[2, 1], [2, 1]])
        #expect(abs(result.hypotheses[0].score - Float(log(0.6) / 2)) < 1e-5)
        #expect(abs(result.hypotheses[1].score - Float((log(0.6) - 0.1) / 2)) < 1e-5)
        for hypothesis in result.hypotheses {
            #expect(abs(hypothesis.sumLogProbabilities - Float(log(0.6))) < 1e-5)
        }
        let distinct = DiverseBeamSearch(
            beamSize: 2, groups: 2, diversityPenalty: 0.5, earlyStopping: .true, nBest: 2
        ).search(model, sources: [[7]])[0]
        #expect(distinct.hypotheses.map(\.tokens) == [[2, 1], [3, 1]])
        #expect(abs(distinct.hypotheses[1].score - Float(log(0.4) / 2)) < 1e-5)
    }

    @Test func oneGroupIsBeamSearch() {
        let sources: [[Int32]] = [[3, 4, 5], [6, 7], [8, 9, 10, 11, 12]]
        let model = ToyDecoder.hashed()
        let beam = BeamSearch(beamSize: 4, nBest: 4).search(model, sources: sources)
        let diverse = DiverseBeamSearch(beamSize: 4, groups: 1, diversityPenalty: 3, nBest: 4)
            .search(model, sources: sources)
        #expect(beam == diverse)
    }

    /// A finished group drops its rows: after the first step every step computes a whole
    /// number of groups.
    @Test func finishedGroupsStopConsumingRows() {
        let steps = StepLog()
        var model = ToyDecoder.hashed()
        model.stepLog = steps
        _ = DiverseBeamSearch(
            beamSize: 6, groups: 3, diversityPenalty: 0.5, earlyStopping: .true, nBest: 6
        ).search(model, sources: [[3, 4, 5], [6, 7], [13]])
        #expect(steps.rows.first == 3)
        #expect(steps.rows.dropFirst().allSatisfy { $0 % 2 == 0 && $0 <= 18 })
        #expect(steps.rows.contains { $0 % 6 != 0 })
    }
}
