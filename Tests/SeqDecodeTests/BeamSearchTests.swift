import Foundation
import SeqDecode
import Testing

/// Beam search on hand-computed tables (the expected values follow the Hugging Face rules
/// step by step; see the comments).
@Suite struct BeamSearchTests {
    /// A table where greedy search falls into a trap.
    ///
    /// Greedy takes 2 (0.6) and then a 0.5 branch: 0.3 in all. Beam search finds 3 (0.4)
    /// followed by a certain 4: 0.4.
    static let trap: [[Int32]: [Int32: Double]] = [
        []: [2: 0.6, 3: 0.4],
        [2]: [4: 0.5, 5: 0.5],
        [3]: [4: 1.0],
    ]

    @Test func beamSearchEscapesTheGreedyTrap() {
        let model = ToyDecoder.table(Self.trap)
        let greedy = GreedySearch().search(model, sources: [[7]])[0].best
        #expect(greedy.tokens == [2, 4, 1])
        #expect(abs(greedy.sumLogProbabilities - Float(log(0.3))) < 1e-5)
        let beam = BeamSearch(beamSize: 2).search(model, sources: [[7]])[0].best
        #expect(beam.tokens == [3, 4, 1])
        #expect(beam.isFinished)
        #expect(abs(beam.sumLogProbabilities - Float(log(0.4))) < 1e-5)
        #expect(abs(beam.score - Float(log(0.4) / 3)) < 1e-5)
        #expect(beam.sumLogProbabilities > greedy.sumLogProbabilities)
    }

    /// The length penalty decides between a short and a long output.
    ///
    /// Ending at once has probability 0.55 (log −0.598); the three-token output 2 3 end has
    /// 0.45 · 0.8 · 0.9 = 0.324 (log −1.127, −0.376 per token). Without length normalisation
    /// the short output wins; with α = 1 the long one does.
    @Test func lengthPenaltyChangesTheWinner() {
        let model = ToyDecoder.table([
            []: [1: 0.55, 2: 0.45],
            [2]: [3: 0.8, 4: 0.2],
            [2, 3]: [1: 0.9, 5: 0.1],
        ])
        let unnormalised = BeamSearch(beamSize: 2, lengthPenalty: 0).search(model, sources: [[7]])
        #expect(unnormalised[0].best.tokens == [1])
        #expect(abs(unnormalised[0].best.score - Float(log(0.55))) < 1e-5)
        let normalised = BeamSearch(beamSize: 2, lengthPenalty: 1).search(model, sources: [[7]])
        #expect(normalised[0].best.tokens == [2, 3, 1])
        #expect(abs(normalised[0].best.score - Float(log(0.324) / 3)) < 1e-5)
    }

    /// A table where two hypotheses finish early and a better one finishes late.
    ///
    /// After step 2, `2 end` (−0.434 per token) and `3 end` finish at ranks 0 and 1, so
    /// `early_stopping: true` stops. With `false` the heuristic (worst finished ≥ best / n)
    /// does not stop yet, and `2 4 6 end` (log 0.18 / 4 = −0.4287) arrives at step 4.
    static func stoppingTable(secondEnd: Double) -> [[Int32]: [Int32: Double]] {
        [
            []: [2: 0.6, 3: 0.4],
            [2]: [1: 0.7, 4: 0.3],
            [3]: [1: secondEnd, 5: 1 - secondEnd],
            [2, 4]: [6: 1.0],
            [2, 4, 6]: [1: 1.0],
        ]
    }

    @Test func earlyStoppingTrueStopsWhenBeamSizeHypothesesFinished() {
        let steps = StepLog()
        var model = ToyDecoder.table(Self.stoppingTable(secondEnd: 0.6))
        model.stepLog = steps
        let result = BeamSearch(beamSize: 2, earlyStopping: .true, nBest: 2)
            .search(model, sources: [[7]])[0]
        #expect(result.hypotheses.map(\.tokens) == [[2, 1], [3, 1]])
        #expect(abs(result.hypotheses[0].score - Float(log(0.42) / 2)) < 1e-5)
        #expect(abs(result.hypotheses[1].score - Float(log(0.24) / 2)) < 1e-5)
        #expect(steps.rows == [1, 2])
    }

    @Test func earlyStoppingFalseKeepsSearchingWhileTheHeuristicAllows() {
        let model = ToyDecoder.table(Self.stoppingTable(secondEnd: 0.6))
        let result = BeamSearch(beamSize: 2, earlyStopping: .false, nBest: 2)
            .search(model, sources: [[7]])[0]
        #expect(result.hypotheses.map(\.tokens) == [[2, 4, 6, 1], [2, 1]])
        #expect(abs(result.hypotheses[0].score - Float(log(0.18) / 4)) < 1e-5)
        #expect(abs(result.hypotheses[1].score - Float(log(0.42) / 2)) < 1e-5)
    }

    /// With `3 end` more likely (0.9), the heuristic stops after step 3 (worst −0.511 ≥
    /// −1.715 / 3) and misses `2 4 6 end`; `never` bounds with the length limit instead
    /// (−1.715 / 12) and finds it.
    @Test func earlyStoppingNeverUsesTheLengthLimit() {
        let model = ToyDecoder.table(Self.stoppingTable(secondEnd: 0.9))
        let length = LengthLimit(maxNewTokens: 12)
        let heuristic = BeamSearch(beamSize: 2, earlyStopping: .false, nBest: 2, length: length)
            .search(model, sources: [[7]])[0]
        #expect(heuristic.hypotheses.map(\.tokens) == [[2, 1], [3, 1]])
        let exhaustive = BeamSearch(beamSize: 2, earlyStopping: .never, nBest: 2, length: length)
            .search(model, sources: [[7]])[0]
        #expect(exhaustive.hypotheses.map(\.tokens) == [[2, 4, 6, 1], [2, 1]])
    }

    @Test func nBestIsOrderedBestFirst() {
        let results = BeamSearch(beamSize: 5, nBest: 5).search(
            ToyDecoder.hashed(), sources: [[3, 4, 5], [6, 7], [9]])
        for result in results {
            #expect(result.hypotheses.count == 5)
            let scores = result.hypotheses.map(\.score)
            #expect(scores == scores.sorted(by: >))
        }
    }

    @Test func sourceLengthLimitCapsEveryHypothesis() {
        let sources: [[Int32]] = [[3], [4, 5], [6, 7, 8], [9, 10, 11, 12]]
        let length = LengthLimit(maxNewTokens: 12, sourceLengthFactor: 1, sourceLengthOffset: 1)
        let results = BeamSearch(beamSize: 3, earlyStopping: .never, nBest: 3, length: length)
            .search(ToyDecoder.hashed(), sources: sources)
        for (source, result) in zip(sources, results) {
            for hypothesis in result.hypotheses {
                #expect(hypothesis.tokens.count <= source.count + 1)
                if !hypothesis.isFinished { #expect(hypothesis.tokens.count == source.count + 1) }
            }
        }
        #expect(length.maxNewTokens(sourceLength: 20) == 12)
    }

    /// Rows of finished sources leave the model state: the first step has one row per source,
    /// later steps `beamSize` rows per unfinished source.
    @Test func finishedSourcesStopConsumingRows() {
        let steps = StepLog()
        var model = ToyDecoder.hashed()
        model.stepLog = steps
        let sources: [[Int32]] = [[3, 4, 5], [6, 7], [8, 9, 10, 11, 12], [13], [2, 14, 15, 3]]
        _ = BeamSearch(beamSize: 4, earlyStopping: .true).search(model, sources: sources)
        #expect(steps.rows.first == sources.count)
        #expect(steps.rows.dropFirst().allSatisfy { $0 % 4 == 0 && $0 <= 4 * sources.count })
        #expect(zip(steps.rows.dropFirst(), steps.rows.dropFirst(2)).allSatisfy { $0 >= $1 })
        #expect((steps.rows.last ?? 0) < 4 * sources.count)
    }

    @Test func greedyRowsLeaveAsTheyFinish() {
        let steps = StepLog()
        var model = ToyDecoder.hashed()
        model.stepLog = steps
        let sources: [[Int32]] = [[3, 4, 5], [6, 7], [8, 9, 10, 11, 12], [13], [2, 14, 15, 3]]
        let results = GreedySearch(length: LengthLimit(maxNewTokens: 12))
            .search(model, sources: sources)
        let lengths = results.map(\.best.tokens.count)
        let expected = (1...(lengths.max() ?? 0)).map { step in lengths.filter { $0 >= step }.count
        }
        #expect(steps.rows == expected)
    }
}

@Test func paddedSequencesLookLikeGenerateOutput() {
    let results = [
        SearchResult(hypotheses: [
            Hypothesis(tokens: [5, 1], score: -1, sumLogProbabilities: -2, isFinished: true)
        ]),
        SearchResult(hypotheses: [
            Hypothesis(tokens: [4, 4, 3], score: -1, sumLogProbabilities: -2, isFinished: false)
        ]),
    ]
    #expect(
        SearchResult.paddedSequences(results, startID: 9, padID: 0) == [
            [9, 5, 1, 0], [9, 4, 4, 3],
        ])
}
