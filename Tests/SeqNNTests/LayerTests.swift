import Foundation
import SeqNN
import SeqTensor
import SeqTesting
import Testing

@Suite struct LayerTests {
    var rng = SeededGenerator(seed: 3)

    @Test mutating func linearComputesAffineMap() {
        let linear = Linear(inputSize: 3, outputSize: 2, using: &rng)
        linear.weight.value = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        linear.bias?.value = Tensor([0.5, -1])
        let output = linear(Tensor(shape: [1, 1, 3], scalars: [1, 0, -1]))
        expectClose(output, Tensor(shape: [1, 1, 2], scalars: [-1.5, -3]))
        let noBias = Linear(inputSize: 3, outputSize: 2, bias: false, using: &rng)
        #expect(noBias.bias == nil)
        #expect(noBias(.ones([4, 3])).shape == [4, 2])
    }

    @Test mutating func linearInitialisationStaysInPyTorchBound() {
        let linear = Linear(inputSize: 16, outputSize: 32, using: &rng)
        let bound: Float = 1 / 4
        #expect(linear.weight.value.scalars.allSatisfy { abs($0) <= bound })
        #expect(linear.bias?.value.scalars.allSatisfy { abs($0) <= bound } == true)
        #expect(linear.weight.value.scalars.contains { abs($0) > bound / 2 })
    }

    @Test mutating func linearGradients() {
        let linear = Linear(inputSize: 4, outputSize: 3, using: &rng)
        let x = Tensor.normal([2, 3, 4], using: &rng)
        expectGradientsMatch({ linear($0) }, at: x)
        expectParameterGradientsMatch(of: linear) { linear(x) }
    }

    @Test mutating func embeddingLooksUpRows() {
        let embedding = Embedding(vocabularySize: 5, modelSize: 3, using: &rng)
        let output = embedding([4, 0, 4, 2], shape: [2, 2])
        #expect(output.shape == [2, 2, 3])
        let table = embedding.weight.value.scalars
        expectClose(Array(output.scalars[0..<3]), Array(table[12..<15]))
        expectClose(Array(output.scalars[9..<12]), Array(table[6..<9]))
        expectParameterGradientsMatch(of: embedding) { embedding([4, 0, 4, 2], shape: [2, 2]) }
    }

    @Test mutating func layerNormNormalisesAndHasGradients() {
        let norm = LayerNorm(size: 6)
        let x = Tensor.normal([3, 6], mean: 2, standardDeviation: 3, using: &rng)
        let y = withoutGradients { norm(x) }
        expectClose(y.mean(axes: [-1]), .zeros([3]), tolerance: 1e-5)
        expectClose((y * y).mean(axes: [-1]), .ones([3]), tolerance: 1e-3)
        norm.weight.value = .uniform([6], in: 0.5...1.5, using: &rng)
        norm.bias?.value = .normal([6], using: &rng)
        expectGradientsMatch({ norm($0) }, at: x)
        expectParameterGradientsMatch(of: norm) { norm(x) }
    }

    @Test mutating func rmsNormNormalisesAndHasGradients() {
        let norm = RMSNorm(size: 5)
        let x = Tensor.normal([2, 3, 5], mean: 1, using: &rng)
        let y = withoutGradients { norm(x) }
        expectClose((y * y).mean(axes: [-1]), .ones([2, 3]), tolerance: 1e-4)
        norm.weight.value = .uniform([5], in: 0.5...1.5, using: &rng)
        expectGradientsMatch({ norm($0) }, at: x)
        expectParameterGradientsMatch(of: norm) { norm(x) }
    }

    @Test mutating func feedForwardGradientsForEveryActivation() {
        for activation in FeedForward.Activation.allCases {
            let block = FeedForward(
                modelSize: 4, feedForwardSize: 6, activation: activation, using: &rng)
            var x = Tensor.normal([2, 3, 4], using: &rng)
            // Finite differences must not cross ReLU's kink: keep pre-activations off 0.
            while activation == .relu,
                withoutGradients({ block.up(x) }).scalars.contains(where: { abs($0) < 0.05 })
            {
                x = Tensor.normal([2, 3, 4], using: &rng)
            }
            let epsilon: Float = activation == .relu ? 1e-3 : 1e-2
            #expect(block(x).shape == [2, 3, 4])
            expectGradientsMatch({ block($0) }, at: x, epsilon: epsilon)
            expectParameterGradientsMatch(of: block, epsilon: epsilon) { block(x) }
        }
    }

    @Test mutating func dropoutIsIdentityInEvaluation() {
        let dropout = Dropout(probability: 0.5, using: &rng)
        let x = Tensor.normal([4, 5], using: &rng)
        dropout.isTraining = false
        #expect(dropout(x).scalars == x.scalars)
        let none = Dropout(probability: 0, using: &rng)
        #expect(none(x).scalars == x.scalars)
    }

    @Test mutating func dropoutZeroesAndRescalesWhileTraining() {
        let dropout = Dropout(probability: 0.25, using: &rng)
        let output = dropout(.ones([4000]))
        let zeros = output.scalars.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 4000 - 0.25) < 0.03)
        #expect(output.scalars.allSatisfy { $0 == 0 || abs($0 - 1 / 0.75) < 1e-6 })
    }

    @Test func dropoutStreamsAreSeparateAndReproducible() {
        func masks(seed: UInt64) -> ([Float], [Float]) {
            var generator = SeededGenerator(seed: seed)
            let first = Dropout(probability: 0.5, using: &generator)
            let second = Dropout(probability: 0.5, using: &generator)
            return (first(.ones([64])).scalars, second(.ones([64])).scalars)
        }
        let (first, second) = masks(seed: 9)
        #expect(first != second)
        let (again, _) = masks(seed: 9)
        #expect(first == again)
    }

    @Test mutating func setTrainingReachesNestedDropout() {
        let block = FeedForward(modelSize: 4, feedForwardSize: 8, dropout: 0.5, using: &rng)
        #expect(block.dropout.isTraining)
        block.setTraining(false)
        #expect(!block.dropout.isTraining)
        let x = Tensor.normal([3, 4], using: &rng)
        #expect(block(x).scalars == block(x).scalars)
    }

    @Test mutating func sequentialChainsLayers() {
        let first = Linear(inputSize: 4, outputSize: 6, using: &rng)
        let norm = LayerNorm(size: 6)
        let second = Linear(inputSize: 6, outputSize: 2, using: &rng)
        let chain = Sequential(first, norm, second)
        let x = Tensor.normal([3, 4], using: &rng)
        expectClose(chain(x), second(norm(first(x))))
        expectGradientsMatch({ chain($0) }, at: x)
        expectParameterGradientsMatch(of: chain) { chain(x) }
        #expect(Sequential([]).callAsFunction(x).scalars == x.scalars)
    }
}

@Suite struct PositionalEncodingTests {
    var rng = SeededGenerator(seed: 4)

    @Test func sinusoidalMatchesTheFormula() {
        let encoding = SinusoidalPositionalEncoding(modelSize: 4)
        let table = encoding.encoding(positions: 0..<3).scalars
        // Position 2: angles 2 and 2 / 100 for pairs 0 and 1.
        expectClose(Array(table[8..<12]), [sin(2), cos(2), sin(0.02), cos(0.02)])
        let halves = SinusoidalPositionalEncoding(modelSize: 4, layout: .halves)
        expectClose(
            Array(halves.encoding(positions: 2..<3).scalars),
            [sin(2), sin(0.02), cos(2), cos(0.02)])
    }

    @Test mutating func sinusoidalOffsetContinuesTheSequence() {
        let encoding = SinusoidalPositionalEncoding(modelSize: 6)
        let x = Tensor.normal([2, 5, 6], using: &rng)
        let whole = encoding(x)
        let tail = encoding(x.sliced(axis: 1, 3..<5), offset: 3)
        expectClose(tail, whole.sliced(axis: 1, 3..<5))
        expectGradientsMatch({ encoding($0, offset: 2) }, at: x)
    }

    @Test mutating func learnedEmbeddingAddsRowsFromOffset() {
        let embedding = LearnedPositionalEmbedding(maxLength: 6, modelSize: 3, using: &rng)
        let x = Tensor.normal([2, 2, 3], using: &rng)
        let output = embedding(x, offset: 4)
        let rows = embedding.weight.value.sliced(axis: 0, 4..<6)
        expectClose(output, x + rows)
        expectGradientsMatch({ embedding($0, offset: 1) }, at: x)
        expectParameterGradientsMatch(of: embedding) { embedding(x, offset: 3) }
    }

    @Test mutating func rotaryKeepsNormsAndDependsOnRelativePosition() {
        let rotary = RotaryPositionalEncoding(headSize: 6)
        let q = Tensor.normal([1, 1, 1, 6], using: &rng)
        let k = Tensor.normal([1, 1, 1, 6], using: &rng)
        func dot(_ a: Tensor, _ b: Tensor) -> Float { (a * b).sum().scalar }
        expectClose([dot(rotary(q, offset: 7), rotary(q, offset: 7))], [dot(q, q)])
        let near = dot(rotary(q, offset: 5), rotary(k, offset: 2))
        let far = dot(rotary(q, offset: 13), rotary(k, offset: 10))
        expectClose([near], [far], tolerance: 1e-5)
        expectClose(rotary(q, offset: 0), q)
    }

    @Test mutating func rotaryPairsTheTwoHalves() {
        // Half split: feature i pairs with i + 2 for headSize 4; pair 0 turns by the position.
        let rotary = RotaryPositionalEncoding(headSize: 4)
        let x = Tensor(shape: [1, 4], scalars: [1, 0, 0, 0])
        expectClose(rotary(x, offset: 1), Tensor(shape: [1, 4], scalars: [cos(1), 0, sin(1), 0]))
        expectGradientsMatch({ rotary($0, offset: 3) }, at: .normal([2, 3, 4], using: &rng))
    }
}
