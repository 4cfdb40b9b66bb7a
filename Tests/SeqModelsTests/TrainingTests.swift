import SeqModels
import SeqNN
import SeqTensor
import Testing

/// Tiny models trained with AdamW learn to reverse short sequences, and greedy decoding
/// through `IncrementalDecoder` reproduces what they learned.
///
/// Sized for debug builds, where the unoptimised SIMD kernels dominate (about 7 and 11
/// seconds here); a release build trains each in well under a second.
@Suite struct TrainingTests {
    /// Random sequences of 2–5 tokens from `3..<vocabularySize`, and their reversals.
    private static func reversalTask(count: Int, vocabularySize: Int, seed: UInt64) -> (
        sources: [[Int32]], targets: [[Int32]]
    ) {
        var generator = SeededGenerator(seed: seed)
        let sources = (0..<count).map { _ in
            (0..<(2 + Int(generator.next() % 4))).map { _ in
                Int32(3 + generator.next() % UInt64(vocabularySize - 3))
            }
        }
        return (sources, sources.map { $0.reversed() })
    }

    private static func trainingConfig() -> TransformerConfig {
        var config = TransformerConfig()
        config.vocabularySize = 10
        config.modelSize = 32
        config.headCount = 4
        config.feedForwardSize = 64
        config.encoderLayerCount = 1
        config.decoderLayerCount = 1
        config.dropout = 0
        return config
    }

    /// Greedy decoding: the most likely token each step, until `endID` or `maxLength`.
    private static func greedy<Model: IncrementalDecoder>(
        _ model: Model, sources: [[Int32]], maxLength: Int
    ) -> [[Int32]] {
        var state = model.start(sources: sources)
        var outputs = [[Int32]](repeating: [], count: sources.count)
        var finished = [Bool](repeating: false, count: sources.count)
        var last = [Int32](repeating: model.startID, count: sources.count)
        for _ in 0..<maxLength where finished.contains(false) {
            let logProbabilities = model.step(&state, lastTokens: last)
            last = logProbabilities.argmax(axis: -1).scalars.map { Int32($0) }
            for row in sources.indices where !finished[row] {
                if last[row] == model.endID {
                    finished[row] = true
                } else {
                    outputs[row].append(last[row])
                }
            }
        }
        return outputs
    }

    @Test func seq2seqLearnsToReverse() {
        let config = Self.trainingConfig()
        let task = Self.reversalTask(count: 32, vocabularySize: config.vocabularySize, seed: 5)
        var generator = SeededGenerator(seed: 8)
        let model = TransformerSeq2Seq(config: config, using: &generator)
        let optimizer = AdamW(model, learningRate: 1e-2, weightDecay: 0)
        let sources = TokenBatch(rows: task.sources, padID: config.padID)
        let (inputs, outputs) = TokenBatch.teacherForcing(
            targets: task.targets, startID: config.startID, endID: config.endID,
            padID: config.padID)
        var loss: Float = .infinity
        for _ in 0..<90 {
            let value = model.loss(sources: sources, targetInputs: inputs, targetOutputs: outputs)
            loss = value.scalar
            value.backward()
            optimizer.step()
            optimizer.zeroGradients()
        }
        #expect(loss < 0.01, "final training loss \(loss)")
        model.setTraining(false)
        let decoded = Self.greedy(model, sources: task.sources, maxLength: 8)
        let correct = zip(decoded, task.targets).filter { $0 == $1 }.count
        #expect(correct == task.sources.count, "\(correct)/\(task.sources.count) reversed")
    }

    @Test func languageModelLearnsToReverse() {
        var config = Self.trainingConfig()
        config.decoderLayerCount = 2
        config.separatorID = 2
        config.bidirectionalPrefix = true
        let task = Self.reversalTask(count: 32, vocabularySize: config.vocabularySize, seed: 6)
        var generator = SeededGenerator(seed: 9)
        let model = TransformerLM(config: config, using: &generator)
        let optimizer = AdamW(model, learningRate: 1e-2, weightDecay: 0)
        let batch = model.trainingBatch(sources: task.sources, targets: task.targets)
        var loss: Float = .infinity
        for _ in 0..<90 {
            let value = model.loss(
                sequences: batch.sequences, targets: batch.targets,
                prefixLengths: batch.prefixLengths)
            loss = value.scalar
            value.backward()
            optimizer.step()
            optimizer.zeroGradients()
        }
        #expect(loss < 0.01, "final training loss \(loss)")
        model.setTraining(false)
        let decoded = Self.greedy(model, sources: task.sources, maxLength: 8)
        let correct = zip(decoded, task.targets).filter { $0 == $1 }.count
        #expect(correct == task.sources.count, "\(correct)/\(task.sources.count) reversed")
    }
}
