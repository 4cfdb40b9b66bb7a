import SeqNN
import SeqTensor
import Testing

/// Pins the parameter path and shape of every layer: optimizers, checkpoints and importers
/// all key on these names.
@Suite struct ParameterPathTests {
    var rng = SeededGenerator(seed: 5)

    private func paths(_ module: some Module) -> [String] {
        module.namedParameters().map { "\($0.path) \($0.parameter.shape)" }
    }

    @Test mutating func linear() {
        #expect(
            paths(Linear(inputSize: 3, outputSize: 2, using: &rng))
                == ["weight [2, 3]", "bias [2]"])
        #expect(
            paths(Linear(inputSize: 3, outputSize: 2, bias: false, using: &rng)) == [
                "weight [2, 3]"
            ])
    }

    @Test mutating func embeddingAndPositions() {
        #expect(paths(Embedding(vocabularySize: 7, modelSize: 4, using: &rng)) == ["weight [7, 4]"])
        #expect(
            paths(LearnedPositionalEmbedding(maxLength: 9, modelSize: 4, using: &rng))
                == ["weight [9, 4]"])
        #expect(paths(SinusoidalPositionalEncoding(modelSize: 4)).isEmpty)
    }

    @Test func norms() {
        #expect(paths(LayerNorm(size: 5)) == ["weight [5]", "bias [5]"])
        #expect(paths(LayerNorm(size: 5, bias: false)) == ["weight [5]"])
        #expect(paths(RMSNorm(size: 5)) == ["weight [5]"])
    }

    @Test mutating func dropoutHasNone() {
        #expect(paths(Dropout(probability: 0.1, using: &rng)).isEmpty)
    }

    @Test mutating func feedForward() {
        #expect(
            paths(FeedForward(modelSize: 4, feedForwardSize: 6, activation: .gelu, using: &rng))
                == ["up.weight [6, 4]", "up.bias [6]", "down.weight [4, 6]", "down.bias [4]"])
        #expect(
            paths(
                FeedForward(
                    modelSize: 4, feedForwardSize: 6, activation: .swiGLU, bias: false,
                    using: &rng))
                == ["gate.weight [6, 4]", "up.weight [6, 4]", "down.weight [4, 6]"])
    }

    @Test mutating func multiHeadAttention() {
        #expect(
            paths(MultiHeadAttention(modelSize: 8, headCount: 2, using: &rng)) == [
                "query.weight [8, 8]", "query.bias [8]", "key.weight [8, 8]", "key.bias [8]",
                "value.weight [8, 8]", "value.bias [8]", "output.weight [8, 8]",
                "output.bias [8]",
            ])
        #expect(
            paths(
                MultiHeadAttention(
                    modelSize: 8, headCount: 4, keyValueHeadCount: 1, bias: false, rotary: true,
                    using: &rng))
                == [
                    "query.weight [8, 8]", "key.weight [2, 8]", "value.weight [2, 8]",
                    "output.weight [8, 8]",
                ])
    }

    @Test mutating func sequentialIndexesItsLayers() {
        let chain = Sequential(
            Linear(inputSize: 3, outputSize: 4, using: &rng), LayerNorm(size: 4),
            Dropout(probability: 0.1, using: &rng),
            Linear(inputSize: 4, outputSize: 2, bias: false, using: &rng))
        #expect(
            paths(chain) == [
                "layers.0.weight [4, 3]", "layers.0.bias [4]", "layers.1.weight [4]",
                "layers.1.bias [4]", "layers.3.weight [2, 4]",
            ])
    }
}
