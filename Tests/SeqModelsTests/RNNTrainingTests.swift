import SeqModels
import SeqNN
import SeqTensor
import Testing

/// Tiny recurrent models trained with AdamW learn to reverse short sequences, and greedy
/// decoding through `IncrementalDecoder` reproduces what they learned.
@Suite struct RNNTrainingTests {
    /// Random sequences of 2–5 tokens from `3..<vocabularySize` ending with the end id, and
    /// their reversals (without it).
    private static func reversalTask(count: Int, vocabularySize: Int, seed: UInt64) -> (
        sources: [[Int32]], targets: [[Int32]]
    ) {
        var generator = SeededGenerator(seed: seed)
        let words = (0..<count).map { _ in
            (0..<(2 + Int(generator.next() % 4))).map { _ in
                Int32(3 + generator.next() % UInt64(vocabularySize - 3))
            }
        }
        return (words.map { $0 + [2] }, words.map { $0.reversed() })
    }

    /// The most likely token each step, until the end id or `maxLength`.
    private static func greedy(_ model: RNNSeq2Seq, sources: [[Int32]], maxLength: Int)
        -> [[Int32]]
    {
        var state = model.start(sources: sources)
        var outputs = [[Int32]](repeating: [], count: sources.count)
        var finished = [Bool](repeating: false, count: sources.count)
        var last = [Int32](repeating: model.startID, count: sources.count)
        for _ in 0..<maxLength where finished.contains(false) {
            last = model.step(&state, lastTokens: last).argmax(axis: -1).scalars.map { Int32($0) }
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

    @Test(arguments: [RNNConfig.Attention.general, .none])
    func learnsToReverse(attention: RNNConfig.Attention) {
        var config = RNNConfig()
        config.vocabularySize = 10
        config.embeddingSize = 16
        config.hiddenSize = 32
        config.encoderLayerCount = 1
        config.decoderLayerCount = 1
        config.attention = attention
        config.reverseSource = attention == .none
        config.dropout = 0
        let task = Self.reversalTask(count: 32, vocabularySize: config.vocabularySize, seed: 5)
        var generator = SeededGenerator(seed: 8)
        let model = RNNSeq2Seq(config: config, using: &generator)
        let optimizer = AdamW(model, learningRate: 2e-2, weightDecay: 0)
        let sources = TokenBatch(rows: task.sources, padID: config.padID)
        let (inputs, outputs) = TokenBatch.teacherForcing(
            targets: task.targets, startID: config.startID, endID: config.endID,
            padID: config.padID)
        var loss: Float = .infinity
        for _ in 0..<120 {
            let value = model.loss(sources: sources, targetInputs: inputs, targetOutputs: outputs)
            loss = value.scalar
            value.backward()
            optimizer.step()
            optimizer.zeroGradients()
        }
        #expect(loss < 0.02, "final training loss \(loss)")
        model.setTraining(false)
        let decoded = Self.greedy(model, sources: task.sources, maxLength: 8)
        let correct = zip(decoded, task.targets).filter { $0 == $1 }.count
        #expect(correct == task.sources.count, "\(correct)/\(task.sources.count) reversed")
    }
}
