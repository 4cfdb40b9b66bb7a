import Foundation
import SeqModels
import SeqNN
import SeqTensor
import SeqTesting
import Testing

// Legend: B batch, T + 1 decoding steps, S + 1 slots (slot 0 the end).

/// PointerNetwork: parameter paths, shapes and masks, padding, the loss against a manual
/// computation, and finite-difference gradients.
@Suite struct PointerNetworkTests {
    var rng = SeededGenerator(seed: 21)

    @Test mutating func parameterPathsAndShapes() {
        let lstm = PointerNetwork(config: tinyPointerConfig(glimpseCount: 1), using: &rng)
        #expect(
            lstm.namedParameters().map { "\($0.path) \($0.parameter.shape)" } == [
                "embedding.weight [5, 2]", "embedding.bias [5]",
                "encoder.weight_ih [32, 5]", "encoder.weight_hh [32, 8]",
                "encoder.bias_ih [32]", "encoder.bias_hh [32]",
                "decoder.weight_ih [32, 5]", "decoder.weight_hh [32, 8]",
                "decoder.bias_ih [32]", "decoder.bias_hh [32]",
                "startInput [5]", "endKey [8]",
                "glimpses.0.query.weight [6, 8]", "glimpses.0.key.weight [6, 8]",
                "glimpses.0.vector [6]",
                "pointer.query.weight [6, 6]", "pointer.key.weight [6, 8]", "pointer.vector [6]",
            ])
        let set = PointerNetwork(
            config: tinyPointerConfig(encoder: .readProcessWrite, processSteps: 2), using: &rng)
        #expect(
            set.namedParameters().map(\.path) == [
                "embedding.weight", "embedding.bias",
                "setEncoder.process.weight_ih", "setEncoder.process.weight_hh",
                "setEncoder.process.bias_ih", "setEncoder.process.bias_hh",
                "setEncoder.bridge.weight", "setEncoder.bridge.bias",
                "decoder.weight_ih", "decoder.weight_hh", "decoder.bias_ih", "decoder.bias_hh",
                "startInput", "endKey", "pointer.query.weight", "pointer.key.weight",
                "pointer.vector",
            ])
    }

    @Test mutating func initializationRangeBoundsEveryParameter() {
        var config = tinyPointerConfig()
        config.initializationRange = 0.08
        let model = PointerNetwork(config: config, using: &rng)
        #expect(
            model.parameters().allSatisfy { p in p.value.scalars.allSatisfy { abs($0) <= 0.08 } })
    }

    @Test mutating func logitsHaveOneRowPerStepAndBlockPadding() {
        let model = PointerNetwork(config: tinyPointerConfig(), using: &rng)
        let batch = PointerBatch(
            inputs: randomInputs(lengths: [4, 2], elementSize: 2, using: &rng), elementSize: 2)
        let logits = model.logits(batch, targets: [[3, 1, 2], [1]])
        #expect(logits.shape == [2, 4, 5])
        for step in 0..<4 {
            #expect(scoreRow(logits, row: 1, step: step)[3...].allSatisfy { $0 < -1e8 })
            #expect(scoreRow(logits, row: 0, step: step).allSatisfy { $0 > -1e8 })
        }
        #expect(model.loss(batch, targets: [[3, 1, 2], [1]], reduction: .none).shape == [2, 4])
    }

    @Test mutating func maskedTrainingBlocksChosenSlotsAndAnEarlyEnd() {
        var config = tinyPointerConfig(constraint: .permutation)
        config.maskedTraining = true
        let model = PointerNetwork(config: config, using: &rng)
        let batch = PointerBatch(
            inputs: randomInputs(lengths: [3], elementSize: 2, using: &rng), elementSize: 2)
        let logits = model.logits(batch, targets: [[2, 0, 1]])
        let blocked = (0..<4).map { step in
            scoreRow(logits, row: 0, step: step).map { $0 < -1e8 }
        }
        #expect(blocked[0] == [true, false, false, false])
        #expect(blocked[1] == [true, false, false, true])
        #expect(blocked[2] == [true, true, false, true])
        #expect(blocked[3] == [false, true, true, true])
    }

    @Test mutating func paddingDoesNotChangeAnExample() {
        let model = PointerNetwork(
            config: tinyPointerConfig(glimpseCount: 1), using: &rng)
        let inputs = randomInputs(lengths: [2, 5], elementSize: 2, using: &rng)
        let alone = model.loss(
            PointerBatch(inputs: [inputs[0]], elementSize: 2), targets: [[1, 0]],
            reduction: .none)
        let padded = model.loss(
            PointerBatch(inputs: inputs, elementSize: 2), targets: [[1, 0], [4, 3, 2, 1, 0]],
            reduction: .none)
        expectClose(padded.sliced(axis: 0, 0..<1).sliced(axis: 1, 0..<3), alone)
    }

    @Test mutating func lossMatchesAManualComputation() {
        let model = PointerNetwork(config: tinyPointerConfig(), using: &rng)
        let batch = PointerBatch(
            inputs: randomInputs(lengths: [3], elementSize: 2, using: &rng), elementSize: 2)
        let target = [2, 0, 1]
        let loss = model.loss(batch, targets: [target], reduction: .sum).scalar
        guard let encoder = model.encoder else {
            Issue.record("the LSTM model has no encoder")
            return
        }
        let manual: Double = withoutGradients {
            let embedded = model.embedding(batch.elements)  // [1, 3, E]
            let element = { (j: Int) in embedded.sliced(axis: 1, j..<(j + 1)).squeezed(axis: 1) }
            var state = encoder.zeroState(batchSize: 1)
            var memory = [model.endKey.value.reshaped([1, -1])]
            for j in 0..<3 {
                state = encoder(element(j), state: state)
                memory.append(state.hidden)
            }
            var input = model.startInput.value.reshaped([1, -1])
            var total = 0.0
            for label in target.map({ $0 + 1 }) + [0] {
                state = model.decoder(input, state: state)
                let query = model.pointer.query(state.hidden)
                let scores = memory.map { slot in
                    Double(
                        ((model.pointer.key(slot) + query).tanh() * model.pointer.vector.value)
                            .sum().scalar)
                }
                let maximum = scores.max() ?? 0
                let logSumExp =
                    maximum
                    + Foundation.log(scores.map { Foundation.exp($0 - maximum) }.reduce(0, +))
                total -= scores[label] - logSumExp
                if label > 0 { input = element(label - 1) }
            }
            return total
        }
        #expect(
            abs(Double(loss) - manual) < 1e-4 * max(1, abs(manual)),
            "loss \(loss), manual \(manual)")
    }

    @Test(arguments: [PointerNetworkConfig.Encoder.lstm, .readProcessWrite])
    func incrementalStepsMatchTeacherForcing(encoder: PointerNetworkConfig.Encoder) {
        var generator = SeededGenerator(seed: 22)
        var config = tinyPointerConfig(
            encoder: encoder, processSteps: encoder == .lstm ? 0 : 3, glimpseCount: 2,
            constraint: .noRepeats)
        config.maskedTraining = true
        config.logitClip = 4
        let model = PointerNetwork(config: config, using: &generator)
        let batch = PointerBatch(
            inputs: randomInputs(lengths: [4, 2, 3], elementSize: 2, using: &generator),
            elementSize: 2)
        let targets = [[3, 0, 2], [1, 0], [2]]
        let teacherForced = withoutGradients {
            model.loss(batch, targets: targets, reduction: .none)
        }
        let decoder = PointerSearchDecoder(model: model, batch: batch)
        var state = decoder.start(sources: decoder.sources)
        var last = [Int32](repeating: decoder.startID, count: 3)
        for step in 0..<4 {
            let logProbabilities = decoder.step(&state, lastTokens: last)
            #expect(logProbabilities.shape == [3, 6])
            for (row, target) in targets.enumerated() where step <= target.count {
                let label = step < target.count ? target[step] + 1 : 0
                let expected = teacherForced.scalars[row * 4 + step]
                let actual = -logProbabilities.scalars[row * 6 + label]
                #expect(abs(actual - expected) < 1e-4, "row \(row) step \(step)")
                if step < target.count { last[row] = Int32(label) }
            }
        }
    }

    @Test(arguments: [PointerNetworkConfig.Encoder.lstm, .readProcessWrite])
    func parameterGradientsMatchFiniteDifferences(encoder: PointerNetworkConfig.Encoder) {
        var generator = SeededGenerator(seed: 23)
        var config = tinyPointerConfig(
            encoder: encoder, processSteps: encoder == .lstm ? 0 : 2, glimpseCount: 1,
            constraint: .permutation)
        config.maskedTraining = true
        config.logitClip = 5
        let model = PointerNetwork(config: config, using: &generator)
        let batch = PointerBatch(
            inputs: randomInputs(lengths: [3, 2], elementSize: 2, using: &generator),
            elementSize: 2)
        expectParameterGradientsMatch(of: model) {
            model.loss(batch, targets: [[1, 2, 0], [1, 0]])
        }
    }
}
