import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// "Training really works": small models built from the layers reach low loss on toy tasks.
@Suite struct TrainingTests {
    /// Linear → activation → Linear.
    private final class MLP: Module {
        let first: Linear
        let second: Linear
        let activation: FeedForward.Activation

        init(
            sizes: (Int, Int, Int), activation: FeedForward.Activation,
            using generator: inout SeededGenerator
        ) {
            first = Linear(inputSize: sizes.0, outputSize: sizes.1, using: &generator)
            second = Linear(inputSize: sizes.1, outputSize: sizes.2, using: &generator)
            self.activation = activation
        }

        func callAsFunction(_ input: Tensor) -> Tensor {
            let hidden = first(input)
            return second(activation == .relu ? hidden.relu() : hidden.gelu(approximation: .none))
        }
    }

    /// Token and position embeddings → one attention layer → Linear to logits.
    private final class TinyAttentionModel: Module {
        let tokens: Embedding
        let positions: LearnedPositionalEmbedding
        let attention: MultiHeadAttention
        let head: Linear

        init(
            vocabularySize: Int, length: Int, modelSize: Int, using generator: inout SeededGenerator
        ) {
            tokens = Embedding(
                vocabularySize: vocabularySize, modelSize: modelSize, using: &generator)
            positions = LearnedPositionalEmbedding(
                maxLength: length, modelSize: modelSize, using: &generator)
            attention = MultiHeadAttention(modelSize: modelSize, headCount: 2, using: &generator)
            head = Linear(inputSize: modelSize, outputSize: vocabularySize, using: &generator)
        }

        /// Logits `[B·T, V]` for ids `[B, T]`.
        func callAsFunction(_ ids: [Int32], batch: Int, length: Int) -> Tensor {
            let x = positions(tokens(ids, shape: [batch, length]))
            return head(attention(x, keys: x, values: x)).reshaped([batch * length, -1])
        }
    }

    @Test(arguments: [FeedForward.Activation.relu, .gelu])
    func mlpLearnsXOR(activation: FeedForward.Activation) {
        var generator = SeededGenerator(seed: 21)
        let model = MLP(sizes: (2, 16, 1), activation: activation, using: &generator)
        let inputs = Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
        let targets = Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
        let optimizer = AdamW(model, learningRate: 0.03, weightDecay: 0)
        func loss() -> Tensor {
            let difference = model(inputs) - targets
            return (difference * difference).mean()
        }
        for _ in 0..<300 {
            loss().backward()
            optimizer.step()
            optimizer.zeroGradients()
        }
        let final = withoutGradients { loss().scalar }
        #expect(final < 1e-3, "final mean squared error \(final)")
    }

    @Test func attentionLearnsToCopyTheFirstToken() {
        let (vocabularySize, length, batch) = (5, 4, 32)
        var generator = SeededGenerator(seed: 22)
        let model = TinyAttentionModel(
            vocabularySize: vocabularySize, length: length, modelSize: 16, using: &generator)
        let ids = (0..<(batch * length)).map { _ in Int32(generator.next() % UInt64(vocabularySize))
        }
        let targets = (0..<(batch * length)).map { ids[$0 / length * length] }
        let optimizer = AdamW(model, learningRate: 0.02, weightDecay: 0)
        func loss() -> Tensor {
            model(ids, batch: batch, length: length).crossEntropy(targets: targets)
        }
        let initial = withoutGradients { loss().scalar }
        for _ in 0..<250 {
            loss().backward()
            optimizer.step()
            optimizer.zeroGradients()
        }
        let final = withoutGradients { loss().scalar }
        #expect(initial > 1)
        #expect(final < 0.05, "cross-entropy \(initial) → \(final)")
        // Fresh sequences: the rule was learned, not the training batch.
        let heldOut = (0..<(batch * length)).map { _ in
            Int32(generator.next() % UInt64(vocabularySize))
        }
        let predictions = withoutGradients {
            model(heldOut, batch: batch, length: length).argmax(axis: -1).scalars
        }
        let correct = predictions.indices.filter {
            Int32(predictions[$0]) == heldOut[$0 / length * length]
        }
        #expect(
            correct.count == predictions.count,
            "held-out accuracy \(correct.count)/\(predictions.count)")
    }
}
