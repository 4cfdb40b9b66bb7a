import Seq2Seq

/// The `seq2seq bench train` suite.
///
/// One training step of the reference Transformer on random data, in target tokens
/// per second. Its peer is `bench/peers/pytorch_train.py`, run by
/// `bench/compare_train.sh` in the same session.
package enum TrainSuite {
    /// The reference configuration: post-norm, d = 256, 4 heads, FFN 1024, ReLU, 3 + 3
    /// layers, dropout 0.1, joint vocabulary 8000 with shared, √d-scaled, tied embeddings and
    /// sinusoidal positions.
    package static var referenceConfig: TransformerConfig {
        var config = TransformerConfig()
        config.vocabularySize = 8000
        config.modelSize = 256
        config.headCount = 4
        config.feedForwardSize = 1024
        config.encoderLayerCount = 3
        config.decoderLayerCount = 3
        config.normalizationPosition = .post
        config.positions = .sinusoidal
        config.dropout = 0.1
        return config
    }

    /// Every case of the suite.
    package static func cases(quick: Bool) -> [BenchCase] {
        [BenchCase(suite: "train", name: "ref-encdec") { referenceStep(quick: quick) }]
    }

    /// Forward, label-smoothed loss, backward, clipping and AdamW on 64 pairs of 32 + 32
    /// tokens.
    private static func referenceStep(quick: Bool) -> Comparison {
        let (batch, sourceLength, targetLength) = (64, 32, 32)
        var generator = SeededGenerator(seed: 5)
        let model = TransformerSeq2Seq(config: referenceConfig, using: &generator)
        let optimizer = AdamW(model, learningRate: 1e-3, beta2: 0.98, weightDecay: 1e-4)
        func randomRows(_ length: Int) -> [[Int32]] {
            (0..<batch).map { _ in
                (0..<length).map { _ in Int32(4 + generator.next() % 7996) }
            }
        }
        let pairs = zip(randomRows(sourceLength), randomRows(targetLength - 1)).map {
            EncodedPair(source: $0 + [2], target: $1)
        }
        return Comparison(
            suite: "train", name: "ref-encdec", unit: "target tokens/s",
            work: Double(batch * targetLength), warmup: quick ? 0 : 2,
            repetitions: quick ? 1 : 10,
            candidate: {
                let (sum, tokens) = model.loss(pairs, labelSmoothing: 0.1)
                (sum * (1 / Float(tokens))).backward()
                clipGradientNorm(model.trainableParameters(), maxNorm: 1)
                optimizer.step()
                optimizer.zeroGradients()
            },
            reference: nil)
    }
}
