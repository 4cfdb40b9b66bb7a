import SeqTensor
import SeqTesting
import Testing

/// Finite-difference checks of the fused ops' backward kernels.
@Suite struct FusedGradientTests {
    var rng = SeededGenerator(seed: 11)

    @Test mutating func softmaxLastAxis() {
        expectGradientsMatch({ $0.softmax() }, at: .normal([3, 5], using: &rng))
        expectGradientsMatch({ $0.softmax() }, at: .normal([2, 37], using: &rng))
    }

    @Test mutating func softmaxMiddleAndFirstAxis() {
        expectGradientsMatch({ $0.softmax(axis: 1) }, at: .normal([2, 4, 3], using: &rng))
        expectGradientsMatch({ $0.softmax(axis: 0) }, at: .normal([5, 17], using: &rng))
    }

    @Test mutating func logSoftmax() {
        expectGradientsMatch({ $0.logSoftmax() }, at: .normal([3, 5], using: &rng))
        expectGradientsMatch({ $0.logSoftmax(axis: -2) }, at: .normal([2, 4, 3], using: &rng))
    }

    @Test mutating func layerNormalizedInputWeightAndBias() {
        expectGradientsMatch(
            { $0[0].layerNormalized(weight: $0[1], bias: $0[2]) },
            at: [
                .normal([3, 6], using: &rng), .uniform([6], in: 0.5...1.5, using: &rng),
                .normal([6], using: &rng),
            ])
        expectGradientsMatch(
            { $0.layerNormalized(weight: nil, bias: nil) }, at: .normal([2, 3, 17], using: &rng))
    }

    @Test mutating func rmsNormalizedInputAndWeight() {
        expectGradientsMatch(
            { $0[0].rmsNormalized(weight: $0[1]) },
            at: [.normal([3, 6], using: &rng), .uniform([6], in: 0.5...1.5, using: &rng)])
        expectGradientsMatch({ $0.rmsNormalized(weight: nil) }, at: .normal([4, 17], using: &rng))
    }

    @Test(arguments: [Reduction.mean, .sum, .none])
    func crossEntropyWithIgnoreIndexAndSmoothing(reduction: Reduction) {
        var rng = SeededGenerator(seed: 5)
        let targets: [Int32] = [1, -100, 3, 0, 2, 3]
        expectGradientsMatch(
            {
                $0.crossEntropy(
                    targets: targets, ignoreIndex: -100, labelSmoothing: 0.1, reduction: reduction)
            },
            at: .normal([2, 3, 4], using: &rng))
        expectGradientsMatch(
            { $0.crossEntropy(targets: [4, 0, 16], reduction: reduction) },
            at: .normal([3, 17], using: &rng))
    }

    @Test mutating func dropoutWithFixedMask() {
        expectGradientsMatch(
            { x in
                var generator = SeededGenerator(seed: 3)
                return x.dropout(probability: 0.3, using: &generator)
            }, at: .normal([4, 5], using: &rng))
    }
}

/// Behaviour of dropout and the preconditions of the fused ops.
@Suite struct FusedOpBehaviourTests {
    @Test func dropoutMaskDependsOnlyOnTheSeed() {
        let x = Tensor.ones([8, 64])
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let a = x.dropout(probability: 0.25, using: &first)
        let b = x.dropout(probability: 0.25, using: &second)
        #expect(a.scalars == b.scalars)
        #expect(first == second)
        #expect(Set(a.scalars) == [0, 1 / Float(0.75)])
        let kept = a.scalars.filter { $0 != 0 }.count
        #expect((300...470).contains(kept), "kept \(kept) of 512 at p = 0.25")
        var third = SeededGenerator(seed: 43)
        #expect(x.dropout(probability: 0.25, using: &third).scalars != a.scalars)
    }

    @Test func dropoutWithZeroProbabilityIsIdentity() {
        var generator = SeededGenerator(seed: 1)
        let x = Tensor.normal([3, 7], using: &generator)
        let before = generator
        #expect(x.dropout(probability: 0, using: &generator).scalars == x.scalars)
        #expect(generator == before)
        #expect(x.dropout(probability: 1, using: &generator).scalars.allSatisfy { $0 == 0 })
    }

    @Test func crossEntropyNoneKeepsLeadingShapeAndZeroesIgnoredRows() {
        var generator = SeededGenerator(seed: 2)
        let logits = Tensor.normal([2, 3, 5], using: &generator)
        let losses = logits.crossEntropy(
            targets: [0, 1, 7, 3, 4, 2], ignoreIndex: 7, reduction: .none)
        #expect(losses.shape == [2, 3])
        #expect(
            losses.scalars[2] == 0
                && losses.scalars.enumerated().allSatisfy { $0.offset == 2 || $0.element > 0 })
        let mean = logits.crossEntropy(targets: [0, 1, 7, 3, 4, 2], ignoreIndex: 7).scalar
        #expect(abs(mean - losses.scalars.reduce(0, +) / 5) < 1e-6)
    }

    @Test func crossEntropyNamesTheBadTarget() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([3, 4]).crossEntropy(targets: [0, 1, 9])
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("target 9 at row 2"), "\(message)")
        }
    }

    @Test func layerNormalizedRejectsAMismatchedWeight() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros([2, 4]).layerNormalized(weight: .ones([3]), bias: nil)
        }
    }
}
