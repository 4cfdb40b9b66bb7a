import SeqDecode
import SeqModels
import SeqTensor
import Testing

/// Every search algorithm over a real recurrent model: a source's output is the same alone,
/// in any batch and in any order (padding never changes a sentence's result), attention
/// included.
@Suite struct RNNBatchInvarianceTests {
    static let sources: [[Int32]] = [
        [3, 4, 5, 2], [6, 7, 2], [8, 9, 10, 11, 12, 2], [13, 2], [14, 15, 3, 16, 2],
        [20, 21, 22, 23, 24, 25, 2], [30, 2],
    ]

    /// A random bidirectional LSTM with additive attention and input feeding, or a reversed
    /// GRU without attention; 37 target tokens so that the SIMD tails are exercised.
    static let configs: [RNNConfig] = [
        {
            var config = RNNConfig()
            config.vocabularySize = 37
            config.embeddingSize = 8
            config.hiddenSize = 12
            config.bidirectional = true
            config.attention = .additive
            config.bridge = .linear
            return config
        }(),
        {
            var config = RNNConfig()
            config.cell = .gru
            config.vocabularySize = 37
            config.embeddingSize = 8
            config.hiddenSize = 12
            config.attention = .none
            config.reverseSource = true
            return config
        }(),
    ]

    private static func model(_ config: RNNConfig) -> RNNSeq2Seq {
        var generator = SeededGenerator(seed: 21)
        let model = RNNSeq2Seq(config: config, using: &generator)
        model.setTraining(false)
        return model
    }

    static let cases: [(Int, Int)] = configs.indices.flatMap { model in
        BatchInvarianceTests.strategies.indices.map { (model, $0) }
    }

    @Test(arguments: cases)
    func resultsDoNotDependOnTheBatch(modelIndex: Int, strategyIndex: Int) {
        let (name, plain) = BatchInvarianceTests.strategies[strategyIndex]
        let strategy = AttentionCollectionTests.collecting(plain)
        let model = Self.model(Self.configs[modelIndex])
        let attends = Self.configs[modelIndex].attention != .none
        let alone = Self.sources.map { strategy.search(model, sources: [$0])[0] }
        var generator = SeededGenerator(seed: 99)
        for batchSize in [2, 3, Self.sources.count] {
            let order = Array(Self.sources.indices).shuffled(using: &generator)
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let batch = Array(order[start..<min(start + batchSize, order.count)])
                let results = strategy.search(model, sources: batch.map { Self.sources[$0] })
                for (index, result) in zip(batch, results) {
                    let label = "model \(modelIndex), \(name), batch \(batchSize), source \(index)"
                    let reference = alone[index]
                    #expect(
                        result.hypotheses.map(\.tokens) == reference.hypotheses.map(\.tokens),
                        "\(label)")
                    for (ours, single) in zip(result.hypotheses, reference.hypotheses) {
                        #expect(abs(ours.score - single.score) <= 1e-4, "\(label)")
                        #expect(ours.isFinished == single.isFinished, "\(label)")
                        if attends {
                            expectSameAttention(ours.attention, single.attention, label)
                        } else {
                            #expect(ours.attention == nil && single.attention == nil, "\(label)")
                        }
                    }
                }
            }
        }
    }
}
