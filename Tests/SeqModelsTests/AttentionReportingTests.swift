import SeqModels
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// `AttentionReportingDecoder`: the cross attention `TransformerSeq2Seq` and `RNNSeq2Seq`
/// report for a step. (The weights themselves are checked against transformers' in
/// SeqInteropTests' `AlignmentParityTests`, and the attention kernel's against a naive twin.)
@Suite struct AttentionReportingTests {
    private let sources: [[Int32]] = [[3, 4, 5, 6, 7, 2], [8, 9, 2], [10, 3, 4, 2]]
    private let tokens: [Int32] = [1, 5, 9, 4]

    private func transformer(
        _ positions: TransformerConfig.PositionEncoding,
        _ normalization: TransformerConfig.NormalizationPosition
    ) -> TransformerSeq2Seq {
        var generator = SeededGenerator(seed: 5)
        let model = TransformerSeq2Seq(
            config: tinyConfig(positions: positions, normalizationPosition: normalization),
            using: &generator)
        model.setTraining(false)
        return model
    }

    private func rnn(_ config: RNNConfig) -> RNNSeq2Seq {
        var generator = SeededGenerator(seed: 8)
        let model = RNNSeq2Seq(config: config, using: &generator)
        model.setTraining(false)
        return model
    }

    /// Each row: one weight per source token, none negative, summing to 1.
    private func expectDistributions(
        _ attention: [[Float]]?, lengths: [Int], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            attention?.map(\.count) == lengths, "attention row lengths",
            sourceLocation: sourceLocation)
        for row in attention ?? [] {
            #expect(row.allSatisfy { $0 >= 0 }, sourceLocation: sourceLocation)
            #expect(abs(row.reduce(0, +) - 1) <= 1e-5, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: positionAndNormCases)
    func transformerReportsWithoutChangingTheStep(
        positions: TransformerConfig.PositionEncoding,
        normalization: TransformerConfig.NormalizationPosition
    ) {
        let model = transformer(positions, normalization)
        #expect(model.crossAttentionLayerCount == 2)
        var plain = model.start(sources: sources)
        var states = [nil, 0, 1].map { (layer: Int?) in (layer, model.start(sources: sources)) }
        for token in tokens {
            let lastTokens = Array(repeating: token, count: sources.count)
            let expected = model.step(&plain, lastTokens: lastTokens)
            var reported: [[[Float]]?] = []
            for index in states.indices {
                let (logProbabilities, attention) = model.stepWithAttention(
                    &states[index].1, lastTokens: lastTokens, layer: states[index].0)
                #expect(logProbabilities.scalars == expected.scalars)
                expectDistributions(attention, lengths: sources.map(\.count))
                reported.append(attention)
            }
            // The default is the last layer; the first differs from it.
            #expect(reported[0] == reported[2])
            #expect(reported[1] != reported[2])
        }
    }

    /// Rows reordered onto other sources report over those sources, as when decoded alone;
    /// padding in the batch never shows.
    @Test func transformerAttentionFollowsReorderingAndIgnoresPadding() {
        let model = transformer(.sinusoidal, .post)
        var together = model.start(sources: sources)
        _ = model.stepWithAttention(&together, lastTokens: [1, 1, 1], layer: nil)
        model.reorder(&together, rows: [2, 1, 1, 0])
        let (_, attention) = model.stepWithAttention(
            &together, lastTokens: [5, 9, 4, 5], layer: nil)
        for (row, (source, last)) in zip([2, 1, 1, 0], [5, 9, 4, 5] as [Int32]).enumerated() {
            var alone = model.start(sources: [sources[source]])
            _ = model.stepWithAttention(&alone, lastTokens: [1], layer: nil)
            let (_, expected) = model.stepWithAttention(&alone, lastTokens: [last], layer: nil)
            expectClose(attention?[row] ?? [], expected?[0] ?? [], tolerance: 1e-5)
        }
    }

    @Test func rnnReportsItsAttentionWeights() {
        let model = rnn(tinyRNNConfig(attention: .additive, bidirectional: true))
        #expect(model.crossAttentionLayerCount == 1)
        var plain = model.start(sources: sources)
        var reporting = model.start(sources: sources)
        for token in tokens {
            let lastTokens = Array(repeating: token, count: sources.count)
            let expected = model.step(&plain, lastTokens: lastTokens)
            let (logProbabilities, attention) = model.stepWithAttention(
                &reporting, lastTokens: lastTokens, layer: nil)
            #expect(logProbabilities.scalars == expected.scalars)
            expectDistributions(attention, lengths: sources.map(\.count))
        }
    }

    /// With `reverseSource` the encoder reads `[c, b, a, end]` for `[a, b, c, end]`: the
    /// reported weights are those of a forward model fed the reversed source, mapped back to
    /// the source's own positions.
    @Test func rnnMapsReversedPositionsBack() {
        let reversed = rnn(tinyRNNConfig(attention: .general, reverseSource: true))
        let forward = rnn(tinyRNNConfig(attention: .general))
        let source: [Int32] = [3, 4, 5, 6, 2]
        var reversedState = reversed.start(sources: [source])
        var forwardState = forward.start(sources: [[6, 5, 4, 3, 2]])
        for token in tokens {
            let (ours, natural) = reversed.stepWithAttention(
                &reversedState, lastTokens: [token], layer: 0)
            let (theirs, readingOrder) = forward.stepWithAttention(
                &forwardState, lastTokens: [token], layer: nil)
            expectClose(ours.scalars, theirs.scalars, tolerance: 1e-6)
            let read = readingOrder?[0] ?? []
            #expect(read.count == 5)
            guard read.count == 5 else { return }
            expectClose(natural?[0] ?? [], [read[3], read[2], read[1], read[0], read[4]])
        }
    }

    @Test func rnnWithoutAttentionReportsNothing() {
        let model = rnn(tinyRNNConfig(attention: .none))
        #expect(model.crossAttentionLayerCount == 0)
        var plain = model.start(sources: sources)
        var reporting = model.start(sources: sources)
        let expected = model.step(&plain, lastTokens: [1, 1, 1])
        let (logProbabilities, attention) = model.stepWithAttention(
            &reporting, lastTokens: [1, 1, 1], layer: nil)
        #expect(logProbabilities.scalars == expected.scalars)
        #expect(attention == nil)
    }

    @Test func layerOutOfRangeTraps() async {
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) {
            var generator = SeededGenerator(seed: 5)
            let model = TransformerSeq2Seq(config: tinyConfig(), using: &generator)
            var state = model.start(sources: [[3, 4, 2]])
            _ = model.stepWithAttention(&state, lastTokens: [1], layer: 2)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(
            message.contains(
                "TransformerSeq2Seq.stepWithAttention: layer 2 out of range for 2 "
                    + "cross-attention layers"))
    }
}
