import Seq2Seq

/// The `train_step` case: forward, backward and AdamW through Transformer encoder blocks.
package enum TrainStepSuite {
    /// The `encoder-2x256` case, in tokens per second.
    ///
    /// 2 pre-norm encoder blocks (d = 256, 4 heads, FFN 1024, ReLU, dropout
    /// 0.1) on a batch of 64 × 32 positions; throughput in tokens per second. No reference
    /// yet: a PyTorch peer joins with the training issue.
    package static func encoderStep(quick: Bool) -> Comparison {
        let (batch, length, modelSize) = (64, 32, 256)
        var generator = SeededGenerator(seed: 7)
        let blocks = BenchEncoder(
            layerCount: 2, modelSize: modelSize, headCount: 4, feedForwardSize: 1024,
            using: &generator)
        let optimizer = AdamW(blocks, learningRate: 1e-4)
        let input = Tensor.normal([batch, length, modelSize], using: &generator)
        let projection = Tensor.normal([batch, length, modelSize], using: &generator)
        return Comparison(
            suite: "train_step", name: "encoder-2x256", unit: "tokens/s",
            work: Double(batch * length), warmup: quick ? 0 : 2, repetitions: quick ? 1 : 10,
            candidate: {
                let loss = (blocks(input) * projection).mean()
                loss.backward()
                optimizer.step()
                optimizer.zeroGradients()
            },
            reference: nil)
    }
}

/// A stack of pre-norm Transformer encoder blocks, as the benchmark trains them.
private final class BenchEncoder: Module {
    let layers: [BenchEncoderBlock]

    init(
        layerCount: Int, modelSize: Int, headCount: Int, feedForwardSize: Int,
        using generator: inout SeededGenerator
    ) {
        var layers: [BenchEncoderBlock] = []
        for _ in 0..<layerCount {
            layers.append(
                BenchEncoderBlock(
                    modelSize: modelSize, headCount: headCount, feedForwardSize: feedForwardSize,
                    using: &generator))
        }
        self.layers = layers
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        layers.reduce(input) { hidden, layer in layer(hidden) }
    }
}

/// `x + Dropout(SelfAttention(LayerNorm(x)))`, then `x + Dropout(FeedForward(LayerNorm(x)))`.
private final class BenchEncoderBlock: Module {
    let attentionNorm: LayerNorm
    let attention: MultiHeadAttention
    let feedForwardNorm: LayerNorm
    let feedForward: FeedForward
    let dropout: Dropout

    init(
        modelSize: Int, headCount: Int, feedForwardSize: Int,
        using generator: inout SeededGenerator
    ) {
        attentionNorm = LayerNorm(size: modelSize)
        attention = MultiHeadAttention(
            modelSize: modelSize, headCount: headCount, dropout: 0.1, using: &generator)
        feedForwardNorm = LayerNorm(size: modelSize)
        feedForward = FeedForward(
            modelSize: modelSize, feedForwardSize: feedForwardSize, activation: .relu,
            dropout: 0.1, using: &generator)
        dropout = Dropout(probability: 0.1, using: &generator)
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        let normalized = attentionNorm(input)
        let attended = input + dropout(attention(normalized, keys: normalized, values: normalized))
        return attended + dropout(feedForward(feedForwardNorm(attended)))
    }
}
