import SeqModels
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// `TransformerSeq2Seq`: padding invariance, incremental decoding against teacher forcing,
/// reordering, gradients.
@Suite struct Seq2SeqTests {
    private let sources: [[Int32]] = [[3, 4, 5, 6, 2], [7, 8, 2]]
    private let targetInputs: [[Int32]] = [[1, 5, 6, 7, 9], [1, 9, 10, 4, 3]]

    private func model(_ config: TransformerConfig, seed: UInt64 = 1) -> TransformerSeq2Seq {
        var generator = SeededGenerator(seed: seed)
        let model = TransformerSeq2Seq(config: config, using: &generator)
        model.setTraining(false)
        return model
    }

    @Test(arguments: positionAndNormCases)
    func paddingNeverChangesRealTokens(
        positions: TransformerConfig.PositionEncoding,
        normalizationPosition: TransformerConfig.NormalizationPosition
    ) {
        let model = model(
            tinyConfig(positions: positions, normalizationPosition: normalizationPosition))
        let source: [Int32] = [4, 5, 6, 2]
        let target: [Int32] = [1, 7, 8]
        let alone = withoutGradients {
            model.logits(
                sources: TokenBatch(rows: [source], padID: 0),
                targetInputs: TokenBatch(rows: [target], padID: 0))
        }
        let batched = withoutGradients {
            model.logits(
                sources: TokenBatch(rows: [[3, 3, 4, 5, 6, 7, 8, 2], source, [9]], padID: 0),
                targetInputs: TokenBatch(
                    rows: [[1, 4], target + [], [1, 5, 6, 7, 8, 9, 10]], padID: 0))
        }
        for position in target.indices {
            expectClose(
                logitRow(batched, row: 1, position: position),
                logitRow(alone, row: 0, position: position))
        }
    }

    @Test(arguments: positionAndNormCases)
    func incrementalDecodingMatchesTeacherForcing(
        positions: TransformerConfig.PositionEncoding,
        normalizationPosition: TransformerConfig.NormalizationPosition
    ) {
        let model = model(
            tinyConfig(positions: positions, normalizationPosition: normalizationPosition))
        let full = withoutGradients {
            model.logits(
                sources: TokenBatch(rows: sources, padID: 0),
                targetInputs: TokenBatch(rows: targetInputs, padID: 0)
            ).logSoftmax(axis: -1)
        }
        var state = model.start(sources: sources)
        for position in 0..<targetInputs[0].count {
            let step = model.step(&state, lastTokens: targetInputs.map { $0[position] })
            #expect(step.shape == [2, 11])
            for row in sources.indices {
                expectClose(
                    Array(step.scalars[(row * 11)..<(row * 11 + 11)]),
                    logitRow(full, row: row, position: position))
            }
        }
        #expect(state.stepCount == targetInputs[0].count)
    }

    @Test func reorderFollowsTheChosenRows() {
        var config = tinyConfig(positions: .learned)
        config.activation = .swiGLU
        config.normalization = .rmsNorm
        let model = model(config)
        var state = model.start(sources: sources)
        var rowSources = [0, 1]
        var histories: [[Int32]] = [[], []]
        let plan: [(rows: [Int], tokens: [Int32])] = [
            ([0, 0, 1], [1, 1, 1]),
            ([2, 0, 1], [4, 5, 6]),
            ([1, 1, 2], [7, 8, 9]),
            ([0, 1, 2], [3, 3, 10]),
        ]
        for (rows, tokens) in plan {
            model.reorder(&state, rows: rows)
            rowSources = rows.map { rowSources[$0] }
            histories = rows.map { histories[$0] }
            let step = model.step(&state, lastTokens: tokens)
            histories = zip(histories, tokens).map { $0 + [$1] }
            let full = withoutGradients {
                model.logits(
                    sources: TokenBatch(rows: rowSources.map { sources[$0] }, padID: 0),
                    targetInputs: TokenBatch(rows: histories, padID: 0)
                ).logSoftmax(axis: -1)
            }
            for row in rows.indices {
                expectClose(
                    Array(step.scalars[(row * 11)..<(row * 11 + 11)]),
                    logitRow(full, row: row, position: histories[row].count - 1))
            }
        }
    }

    @Test func lossCountsOnlyRealTargets() {
        let model = model(tinyConfig())
        let sourceBatch = TokenBatch(rows: sources, padID: 0)
        let (inputs, outputs) = TokenBatch.teacherForcing(
            targets: [[5, 6, 7], [8]], startID: 1, endID: 2, padID: 0)
        #expect(inputs.ids == [1, 5, 6, 7, 1, 8, 0, 0])
        #expect(outputs.ids == [5, 6, 7, 2, 8, 2, 0, 0])
        let (loss, perToken, logits) = withoutGradients {
            (
                model.loss(sources: sourceBatch, targetInputs: inputs, targetOutputs: outputs),
                model.loss(
                    sources: sourceBatch, targetInputs: inputs, targetOutputs: outputs,
                    reduction: .none),
                model.logits(sources: sourceBatch, targetInputs: inputs)
            )
        }
        let expected = logits.crossEntropy(targets: outputs.ids, ignoreIndex: 0)
        #expect(perToken.shape == [6])
        #expect(abs(loss.scalar - expected.scalar) < 1e-5)
    }

    @Test func parameterGradientsMatchFiniteDifferences() {
        var config = tinyConfig(positions: .learned, normalizationPosition: .post)
        config.modelSize = 8
        config.headCount = 2
        config.keyValueHeadCount = 1
        config.feedForwardSize = 12
        config.encoderLayerCount = 1
        config.decoderLayerCount = 1
        config.maxPositions = 6
        config.tiedOutputProjection = false
        config.sharedEmbeddings = false
        config.activation = .gelu
        let model = model(config)
        let sourceBatch = TokenBatch(rows: [[3, 4, 2], [5, 2]], padID: 0)
        let targetBatch = TokenBatch(rows: [[1, 6, 7], [1, 8]], padID: 0)
        expectParameterGradientsMatch(of: model) {
            model.logits(sources: sourceBatch, targetInputs: targetBatch)
        }
    }

    @Test func preNormGradientsMatchFiniteDifferences() {
        var config = tinyConfig(positions: .rotary, normalizationPosition: .pre)
        config.modelSize = 8
        config.headCount = 2
        config.feedForwardSize = 12
        config.encoderLayerCount = 1
        config.decoderLayerCount = 1
        config.normalization = .rmsNorm
        config.activation = .swiGLU
        let model = model(config)
        let sourceBatch = TokenBatch(rows: [[3, 4, 2], [5, 2]], padID: 0)
        let (inputs, outputs) = TokenBatch.teacherForcing(
            targets: [[6, 7], [8]], startID: 1, endID: 2, padID: 0)
        expectParameterGradientsMatch(of: model) {
            model.loss(
                sources: sourceBatch, targetInputs: inputs, targetOutputs: outputs,
                labelSmoothing: 0.1, reduction: .none)
        }
    }

    @Test func paddingRowOfTheEmbeddingStartsAtZero() {
        let model = model(tinyConfig())
        let table = model.targetEmbedding.weight.value
        #expect(Array(table.scalars[0..<16]) == [Float](repeating: 0, count: 16))
        #expect(table.scalars[16..<32].contains { $0 != 0 })
    }
}
