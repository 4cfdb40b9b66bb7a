import Foundation
import SeqKernels
import Testing

/// Fast optimizer kernels against their naive twins at awkward sizes, including one large
/// enough to be split across cores.
@Suite struct OptimizerKernelTests {
    static let sizes = [1, 15, 16, 17, 1000, 70_001]

    /// Deterministic values in about `[-scale, scale]`, different for each `seed`.
    static func values(_ count: Int, seed: Float, scale: Float = 1) -> [Float] {
        (0..<count).map { scale * sin(Float($0) * 0.37 + seed) }
    }

    @Test(arguments: sizes, [false, true])
    func sgdMatchesReference(count: Int, nesterov: Bool) {
        let gradients = Self.values(count, seed: 1)
        for (momentum, firstStep) in [(Float(0), false), (0.9, true), (0.9, false)] {
            let settings = SGDSettings(
                learningRate: 0.1, momentum: momentum, dampening: 0.1, nesterov: nesterov,
                weightDecay: 0.01, isFirstStep: firstStep)
            var fastParameters = Self.values(count, seed: 2)
            var fastBuffer = Self.values(count, seed: 3)
            var slowParameters = fastParameters
            var slowBuffer = fastBuffer
            sgdUpdate(
                &fastParameters, gradients: gradients, momentumBuffer: &fastBuffer, count: count,
                settings: settings)
            referenceSGDUpdate(
                &slowParameters, gradients: gradients, momentumBuffer: &slowBuffer, count: count,
                settings: settings)
            #expect(fastParameters == slowParameters, "momentum \(momentum), first \(firstStep)")
            #expect(fastBuffer == slowBuffer, "momentum \(momentum), first \(firstStep)")
        }
    }

    @Test(arguments: sizes, [false, true])
    func adamMatchesReference(count: Int, decoupled: Bool) {
        let gradients = Self.values(count, seed: 1)
        for step in [1, 7] {
            let settings = AdamSettings(
                learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01,
                decoupled: decoupled, step: step)
            var fastParameters = Self.values(count, seed: 2)
            var fastFirst = Self.values(count, seed: 3, scale: 0.1)
            var fastSecond = Self.values(count, seed: 4, scale: 0.01).map(abs)
            var slowParameters = fastParameters
            var slowFirst = fastFirst
            var slowSecond = fastSecond
            adamUpdate(
                &fastParameters, gradients: gradients, firstMoments: &fastFirst,
                secondMoments: &fastSecond, count: count, settings: settings)
            referenceAdamUpdate(
                &slowParameters, gradients: gradients, firstMoments: &slowFirst,
                secondMoments: &slowSecond, count: count, settings: settings)
            #expect(fastParameters == slowParameters, "step \(step)")
            #expect(fastFirst == slowFirst, "step \(step)")
            #expect(fastSecond == slowSecond, "step \(step)")
        }
    }

    @Test func adamSettingsPrecomputeBiasCorrections() {
        let settings = AdamSettings(
            learningRate: 0.5, beta1: 0.5, beta2: 0.75, epsilon: 1e-8, weightDecay: 0.1,
            decoupled: true, step: 2)
        #expect(settings.stepSize == Float(0.5 / 0.75))
        #expect(settings.biasCorrection2SquareRoot == Float((1 - 0.5625).squareRoot()))
        #expect(settings.parameterDecay == 0.95)
        #expect(settings.gradientWeightDecay == 0)
        let coupled = AdamSettings(
            learningRate: 0.5, beta1: 0.5, beta2: 0.75, epsilon: 1e-8, weightDecay: 0.1,
            decoupled: false, step: 2)
        #expect(coupled.parameterDecay == 1)
        #expect(coupled.gradientWeightDecay == 0.1)
    }

    @Test(arguments: sizes + [sumOfSquaresChunk * 3 + 5])
    func sumOfSquaresMatchesReference(count: Int) {
        let x = Self.values(count, seed: 5, scale: 3)
        let fast = chunkedSumOfSquares(x, count: count)
        let slow = referenceSumOfSquares(x, count: count)
        #expect(abs(fast - slow) <= 1e-6 * slow, "\(fast) vs \(slow)")
    }

    /// The whole sum equals the in-order sum of the fixed chunks each computed alone (inline,
    /// on one core), so the split across cores cannot change a bit of it.
    @Test func sumOfSquaresDependsOnlyOnFixedChunks() {
        let count = sumOfSquaresChunk * 40 + 123
        let x = Self.values(count, seed: 6, scale: 2)
        let whole = chunkedSumOfSquares(x, count: count)
        var inOrder = 0.0
        x.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for start in stride(from: 0, to: count, by: sumOfSquaresChunk) {
                inOrder += chunkedSumOfSquares(
                    base + start, count: min(sumOfSquaresChunk, count - start))
            }
        }
        #expect(whole == inOrder)
        #expect(chunkedSumOfSquares(x, count: 0) == 0)
    }

    @Test(arguments: sizes)
    func scaleMatchesReference(count: Int) {
        var fast = Self.values(count, seed: 7)
        var slow = fast
        scaleInPlace(&fast, count: count, by: 0.3)
        referenceScaleInPlace(&slow, count: count, by: 0.3)
        #expect(fast == slow)
    }
}
