import SeqModels
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// A recurrent config small enough for finite differences: 11 tokens, embeddings of 6, states
/// of 8, two layers each side, no dropout.
func tinyRNNConfig(
    cell: RNNConfig.Cell = .lstm, attention: RNNConfig.Attention = .general,
    bidirectional: Bool = false, bridge: RNNConfig.Bridge = .copy, reverseSource: Bool = false
) -> RNNConfig {
    var config = RNNConfig()
    config.cell = cell
    config.vocabularySize = 11
    config.embeddingSize = 6
    config.hiddenSize = 8
    config.encoderLayerCount = 2
    config.decoderLayerCount = 2
    config.bidirectional = bidirectional
    config.attention = attention
    config.bridge = bridge
    config.reverseSource = reverseSource
    config.dropout = 0
    return config
}

/// The variants the model tests run over: every cell, attention and bridge, both directions,
/// forward and reversed sources, with and without input feeding, tied and untied outputs.
let rnnVariants: [RNNConfig] = {
    var untiedFeedOff = tinyRNNConfig(cell: .gru, attention: .dot, bidirectional: true)
    untiedFeedOff.inputFeeding = false
    var tied = tinyRNNConfig(attention: .none, reverseSource: true)
    tied.embeddingSize = 8
    tied.tiedOutputProjection = true
    tied.sharedEmbeddings = true
    return [
        tinyRNNConfig(attention: .additive, bidirectional: true, bridge: .linear),
        tinyRNNConfig(cell: .gru, attention: .general, bridge: .none, reverseSource: true),
        untiedFeedOff, tied,
        tinyRNNConfig(cell: .gru, attention: .additive, bidirectional: true, bridge: .linear),
    ]
}()

/// `RNNSeq2Seq`: shapes, padding invariance, incremental decoding against teacher forcing,
/// reordering, the reversed source, parameter paths, gradients.
@Suite struct RNNSeq2SeqTests {
    private let sources: [[Int32]] = [[3, 4, 5, 6, 2], [7, 8, 2]]
    private let targetInputs: [[Int32]] = [[1, 5, 6, 7, 9], [1, 9, 10, 4, 3]]

    private func model(_ config: RNNConfig, seed: UInt64 = 1) -> RNNSeq2Seq {
        var generator = SeededGenerator(seed: seed)
        let model = RNNSeq2Seq(config: config, using: &generator)
        model.setTraining(false)
        return model
    }

    @Test func shapesAndPaddedEncoderOutputs() {
        let config = tinyRNNConfig(bidirectional: true)
        let model = model(config)
        let batch = TokenBatch(rows: sources, padID: 0)
        let encoding = withoutGradients { model.encode(batch) }
        #expect(encoding.outputs.shape == [2, 5, 8])
        #expect(encoding.lengths == [5, 3])
        #expect(encoding.finalStates.hidden.shape == [2, 2, 8])
        #expect(encoding.finalStates.cell?.shape == [2, 2, 8])
        let padded = Array(encoding.outputs.scalars[(5 + 3) * 8..<(10 * 8)])
        #expect(padded == [Float](repeating: 0, count: 16))
        let logits = withoutGradients {
            model.logits(sources: batch, targetInputs: TokenBatch(rows: targetInputs, padID: 0))
        }
        #expect(logits.shape == [2, 5, 11])
    }

    @Test(arguments: rnnVariants.indices)
    func paddingNeverChangesRealTokens(variant: Int) {
        let model = model(rnnVariants[variant])
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
                    rows: [[1, 4], target, [1, 5, 6, 7, 8, 9, 10]], padID: 0))
        }
        for position in target.indices {
            expectClose(
                logitRow(batched, row: 1, position: position),
                logitRow(alone, row: 0, position: position))
        }
    }

    @Test(arguments: rnnVariants.indices)
    func incrementalDecodingMatchesTeacherForcing(variant: Int) {
        let model = model(rnnVariants[variant])
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

    @Test(arguments: rnnVariants.indices)
    func reorderFollowsTheChosenRows(variant: Int) {
        let model = model(rnnVariants[variant])
        var state = model.start(sources: sources)
        var rowSources = [0, 1]
        var histories: [[Int32]] = [[], []]
        let plan: [(rows: [Int], tokens: [Int32])] = [
            ([0, 0, 1], [1, 1, 1]), ([2, 0, 1], [4, 5, 6]), ([1, 1, 2], [7, 8, 9]),
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

    @Test func reversedSourceKeepsTheEndTokenLast() {
        let reversed = model(tinyRNNConfig(reverseSource: true))
        #expect(reversed.readingOrder([3, 4, 5, 2]) == [5, 4, 3, 2])
        #expect(reversed.readingOrder([3, 4, 5]) == [5, 4, 3])
        #expect(model(tinyRNNConfig()).readingOrder([3, 4, 5, 2]) == [3, 4, 5, 2])
        // Same seed, same weights: reversing inside the model equals feeding reversed ids.
        let forward = model(tinyRNNConfig())
        let (inside, outside) = withoutGradients {
            (
                reversed.encode(TokenBatch(rows: [[3, 4, 5, 6, 2], [7, 8, 2]], padID: 0)),
                forward.encode(TokenBatch(rows: [[6, 5, 4, 3, 2], [8, 7, 2]], padID: 0))
            )
        }
        #expect(inside.outputs.scalars == outside.outputs.scalars)
        #expect(inside.finalStates.hidden.scalars == outside.finalStates.hidden.scalars)
    }

    @Test func lossCountsOnlyRealTargets() {
        let model = model(tinyRNNConfig(attention: .additive, bidirectional: true))
        let sourceBatch = TokenBatch(rows: sources, padID: 0)
        let (inputs, outputs) = TokenBatch.teacherForcing(
            targets: [[5, 6, 7], [8]], startID: 1, endID: 2, padID: 0)
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

    @Test func parameterPathsArePinned() {
        var config = tinyRNNConfig(attention: .additive, bidirectional: true, bridge: .linear)
        config.encoderLayerCount = 1
        config.decoderLayerCount = 1
        let paths = model(config).namedParameters().map(\.path)
        let stack = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
        #expect(
            paths
                == ["sourceEmbedding.weight", "targetEmbedding.weight"]
                + (stack + stack.map { $0 + "_reverse" }).map { "encoder.rnn.\($0)" }
                + [
                    "bridge.hidden.weight", "bridge.hidden.bias", "bridge.cell.weight",
                    "bridge.cell.bias",
                ] + stack.map { "decoder.rnn.\($0)" }
                + [
                    "decoder.attention.query.weight", "decoder.attention.key.weight",
                    "decoder.attention.key.bias", "decoder.attention.vector",
                    "decoder.attentionOutput.weight", "outputProjection.weight",
                    "outputProjection.bias",
                ])
    }

    @Test func uniformInitializationBoundsEveryParameter() {
        var config = tinyRNNConfig()
        config.uniformInitialization = 0.08
        let parameters = model(config).namedParameters()
        for (path, parameter) in parameters {
            let values = parameter.value.scalars
            #expect(values.allSatisfy { abs($0) <= 0.08 }, "\(path)")
        }
        let embedding = model(config).targetEmbedding.weight.value.scalars
        #expect(Array(embedding[0..<6]) == [Float](repeating: 0, count: 6))
    }

    @Test(arguments: rnnVariants.indices)
    func parameterGradientsMatchFiniteDifferences(variant: Int) {
        let model = model(rnnVariants[variant])
        let sourceBatch = TokenBatch(rows: [[3, 4, 2], [5, 2]], padID: 0)
        let (inputs, outputs) = TokenBatch.teacherForcing(
            targets: [[6, 7], [8]], startID: 1, endID: 2, padID: 0)
        expectParameterGradientsMatch(of: model) {
            model.loss(
                sources: sourceBatch, targetInputs: inputs, targetOutputs: outputs,
                labelSmoothing: 0.1, reduction: .none)
        }
    }
}
