import Seq2Seq

/// The `train_step` case: forward, backward and AdamW through Transformer encoder blocks.
package enum TrainStepSuite {
    /// The `encoder-2x256` case, in tokens per second.
    ///
    /// `SeqModels`' `TransformerEncoder` with 2 pre-norm blocks (d = 256, 4 heads, FFN 1024,
    /// ReLU, dropout 0.1) on a batch of 64 × 32 embedded positions. No reference: the whole
    /// model's PyTorch comparison is `seq2seq bench train`.
    package static func encoderStep(quick: Bool) -> Comparison {
        let (batch, length) = (64, 32)
        var config = TransformerConfig()
        config.modelSize = 256
        config.headCount = 4
        config.feedForwardSize = 1024
        config.encoderLayerCount = 2
        config.positions = .sinusoidal
        config.dropout = 0.1
        var generator = SeededGenerator(seed: 7)
        let encoder = TransformerEncoder(config: config, using: &generator)
        let optimizer = AdamW(encoder, learningRate: 1e-4)
        let input = Tensor.normal([batch, length, config.modelSize], using: &generator)
        let projection = Tensor.normal([batch, length, config.modelSize], using: &generator)
        return Comparison(
            suite: "train_step", name: "encoder-2x256", unit: "tokens/s",
            work: Double(batch * length), warmup: quick ? 0 : 2, repetitions: quick ? 1 : 10,
            candidate: {
                let loss = (encoder(input, mask: nil) * projection).mean()
                loss.backward()
                optimizer.step()
                optimizer.zeroGradients()
            },
            reference: nil)
    }
}
