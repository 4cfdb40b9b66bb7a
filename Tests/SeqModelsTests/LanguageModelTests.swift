import SeqModels
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// `TransformerLM`: incremental decoding against the full forward, the prefix-LM mask,
/// padding.
@Suite struct LanguageModelTests {
    private let sources: [[Int32]] = [[3, 4, 5, 6, 7], [8, 9], []]
    private let targets: [[Int32]] = [[5, 6, 4], [9, 10, 3], [6, 3, 3]]

    private func model(_ config: TransformerConfig, seed: UInt64 = 2) -> TransformerLM {
        var generator = SeededGenerator(seed: seed)
        let model = TransformerLM(config: config, using: &generator)
        model.setTraining(false)
        return model
    }

    private static let cases: [(TransformerConfig.PositionEncoding, Bool)] =
        TransformerConfig.PositionEncoding.allCases.flatMap { [($0, false), ($0, true)] }

    @Test(arguments: cases)
    func incrementalDecodingMatchesFullForward(
        positions: TransformerConfig.PositionEncoding, bidirectionalPrefix: Bool
    ) {
        var config = tinyConfig(positions: positions)
        config.separatorID = 10
        config.bidirectionalPrefix = bidirectionalPrefix
        let model = model(config)
        let batch = model.trainingBatch(sources: sources, targets: targets)
        let full = withoutGradients {
            model.logits(
                sequences: batch.sequences,
                prefixLengths: bidirectionalPrefix ? batch.prefixLengths : nil
            ).logSoftmax(axis: -1)
        }
        var state = model.start(sources: sources)
        #expect(state.length == 6 && state.rowCount == 3)
        let inputs = targets.map { [config.startID] + $0 }
        for step in 0..<inputs[0].count {
            let output = model.step(&state, lastTokens: inputs.map { $0[step] })
            for row in sources.indices {
                expectClose(
                    Array(output.scalars[(row * 11)..<(row * 11 + 11)]),
                    logitRow(full, row: row, position: batch.prefixLengths[row] + step))
            }
        }
    }

    @Test(arguments: TransformerConfig.PositionEncoding.allCases)
    func reorderFollowsTheChosenRows(positions: TransformerConfig.PositionEncoding) {
        let model = model(tinyConfig(positions: positions))
        var state = model.start(sources: sources)
        var histories = sources
        let plan: [(rows: [Int], tokens: [Int32])] = [
            ([0, 2, 1, 1], [1, 1, 1, 1]), ([3, 0, 1, 2], [4, 5, 6, 7]),
            ([1, 1, 0, 3], [8, 9, 3, 4]),
        ]
        for (rows, tokens) in plan {
            model.reorder(&state, rows: rows)
            histories = rows.map { histories[$0] }
            let output = model.step(&state, lastTokens: tokens)
            histories = zip(histories, tokens).map { $0 + [$1] }
            let full = withoutGradients {
                model.logits(sequences: TokenBatch(rows: histories, padID: 0)).logSoftmax(axis: -1)
            }
            for row in rows.indices {
                expectClose(
                    Array(output.scalars[(row * 11)..<(row * 11 + 11)]),
                    logitRow(full, row: row, position: histories[row].count - 1))
            }
        }
    }

    @Test func prefixIsBidirectionalAndTargetsStayCausal() {
        let model = model(tinyConfig(positions: .learned))
        let prefixLength = 4
        let base: [Int32] = [3, 4, 5, 6, 1, 7, 8]
        func logits(_ sequence: [Int32], prefix: Int?) -> Tensor {
            withoutGradients {
                model.logits(
                    sequences: TokenBatch(rows: [sequence], padID: 0),
                    prefixLengths: prefix.map { [$0] })
            }
        }
        let original = logits(base, prefix: prefixLength)
        var laterPrefix = base
        laterPrefix[3] = 9
        let changedPrefix = logits(laterPrefix, prefix: prefixLength)
        // Position 0 sees position 3 through the bidirectional prefix…
        #expect(
            zip(
                logitRow(original, row: 0, position: 0),
                logitRow(changedPrefix, row: 0, position: 0)
            )
            .contains { abs($0 - $1) > 1e-4 })
        // …but not in a purely causal model.
        expectClose(
            logitRow(logits(base, prefix: nil), row: 0, position: 0),
            logitRow(logits(laterPrefix, prefix: nil), row: 0, position: 0))
        var laterTarget = base
        laterTarget[5] = 10
        let changedTarget = logits(laterTarget, prefix: prefixLength)
        for position in 0..<5 {
            expectClose(
                logitRow(changedTarget, row: 0, position: position),
                logitRow(original, row: 0, position: position))
        }
        #expect(
            zip(
                logitRow(original, row: 0, position: 5),
                logitRow(changedTarget, row: 0, position: 5)
            )
            .contains { abs($0 - $1) > 1e-4 })
    }

    @Test(arguments: [false, true])
    func paddingNeverChangesRealTokens(bidirectional: Bool) {
        let model = model(tinyConfig(positions: .sinusoidal))
        let sequence: [Int32] = [3, 4, 1, 5, 6]
        let alone = withoutGradients {
            model.logits(
                sequences: TokenBatch(rows: [sequence], padID: 0),
                prefixLengths: bidirectional ? [2] : nil)
        }
        let batched = withoutGradients {
            model.logits(
                sequences: TokenBatch(
                    rows: [[3, 1, 4], sequence, [3, 4, 5, 6, 7, 8, 9, 10]], padID: 0),
                prefixLengths: bidirectional ? [1, 2, 5] : nil)
        }
        for position in sequence.indices {
            expectClose(
                logitRow(batched, row: 1, position: position),
                logitRow(alone, row: 0, position: position))
        }
    }

    @Test func trainingBatchLaysOutSourceSeparatorAndTarget() {
        var config = tinyConfig()
        config.separatorID = 10
        let model = model(config)
        let batch = model.trainingBatch(sources: [[3, 4], [5]], targets: [[6], [7, 8]])
        #expect(batch.sequences.ids == [3, 4, 10, 1, 6, 5, 10, 1, 7, 8])
        #expect(batch.targets.ids == [0, 0, 0, 6, 2, 0, 0, 7, 8, 2])
        #expect(batch.prefixLengths == [3, 2])
        config.separatorID = nil
        #expect(self.model(config).prefix(source: [3, 4]) == [3, 4])
    }

    @Test func parameterGradientsMatchFiniteDifferences() {
        var config = tinyConfig(positions: .rotary, normalizationPosition: .post)
        config.modelSize = 8
        config.headCount = 2
        config.feedForwardSize = 12
        config.decoderLayerCount = 2
        config.tiedOutputProjection = false
        config.activation = .geluTanh  // smooth: ReLU kinks spoil finite differences
        let model = model(config)
        let batch = model.trainingBatch(sources: [[3, 4], [5]], targets: [[6], [7, 8]])
        expectParameterGradientsMatch(of: model) {
            model.loss(
                sequences: batch.sequences, targets: batch.targets,
                prefixLengths: batch.prefixLengths, reduction: .none)
        }
    }
}
