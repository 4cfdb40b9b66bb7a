import SeqKernels
import Testing

/// The SIMD unary kernels against their Foundation-in-Double twins.
@Suite struct UnaryKernelTests {
    /// The input range each op is sampled over at the odd sizes: wide enough to reach
    /// saturation, overflow and underflow where the op has them.
    private static func domain(_ op: UnaryOperator) -> [Float] {
        switch op {
        case .exp: return spread(1000, over: -110...90)
        case .log, .sqrt, .rsqrt: return spreadMagnitudes(1000, powers: -149...127.9)
        case .abs, .square, .relu: return spread(1000, over: -1e3...1e3)
        case .tanh, .sigmoid, .gelu, .geluTanh, .silu: return spread(1000, over: -30...30)
        }
    }

    private static func forward(_ op: UnaryOperator, _ inputs: [Float]) -> (
        fast: [Float], naive: [Float]
    ) {
        var fast = [Float](repeating: .nan, count: inputs.count)
        var naive = fast
        unaryMap(op, inputs, &fast, count: inputs.count)
        referenceUnaryMap(op, inputs, &naive, count: inputs.count)
        return (fast, naive)
    }

    @Test(arguments: UnaryOperator.allCases)
    func forwardMatchesNaiveAtOddSizes(_ op: UnaryOperator) {
        for size in kernelTestSizes {
            let inputs = Array(Self.domain(op).prefix(size))
            let (fast, naive) = Self.forward(op, inputs)
            expectElementsClose(
                fast, naive, inputs: inputs, relative: 2e-6, absolute: 1e-6, "\(op) size \(size)")
        }
    }

    @Test(arguments: UnaryOperator.allCases)
    func forwardMatchesNaiveOverTheWholeFloatRange(_ op: UnaryOperator) {
        let inputs = wideRange(4000) + spread(2000, over: -20...20) + [.nan]
        let (fast, naive) = Self.forward(op, inputs)
        expectElementsClose(fast, naive, inputs: inputs, relative: 2e-6, absolute: 1e-6, "\(op)")
        // A finite input gives NaN only where the op is undefined (log, sqrt of a negative).
        for (input, value) in zip(inputs, fast) where value.isNaN && input.isFinite {
            #expect(input < 0 && [.log, .sqrt, .rsqrt].contains(op), "\(op)(\(input)) is NaN")
        }
    }

    @Test func forwardSplitAcrossWorkersMatchesNaive() {
        let inputs = spread(100_003, over: -12...12)
        for op in [UnaryOperator.exp, .tanh, .gelu] {
            let (fast, naive) = Self.forward(op, inputs)
            expectElementsClose(fast, naive, relative: 2e-6, absolute: 1e-6, "\(op) split")
        }
    }

    @Test func forwardMayWriteInPlace() {
        let inputs = spread(37, over: -3...3)
        var values = inputs
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            unaryMap(.sigmoid, base, base, count: buffer.count)
        }
        #expect(values == Self.forward(.sigmoid, inputs).fast)
    }

    /// Saved values each derivative is evaluated at: outputs for the `…FromOutput` cases,
    /// inputs for the rest.
    private static func savedValues(_ derivative: UnaryDerivative, count: Int) -> [Float] {
        switch derivative {
        case .tanhFromOutput: return spread(count, over: -1...1)
        case .sigmoidFromOutput: return spread(count, over: 0...1)
        case .reluFromOutput: return spread(count, over: 0...5).map { $0 < 1 ? 0 : $0 }
        case .abs: return spread(count, over: -5...5) + [0]
        case .gelu, .geluTanh, .silu:
            // At ±inf the textbook formulas give inf · 0; the kernels give the limits, checked
            // on their own below.
            return spread(count, over: -30...30) + wideRange(200).filter(\.isFinite) + [0]
        }
    }

    @Test(arguments: UnaryDerivative.allCases)
    func backwardMatchesNaive(_ derivative: UnaryDerivative) {
        for size in kernelTestSizes {
            let saved = Array(Self.savedValues(derivative, count: 1000).prefix(size))
            let gradient = spread(saved.count, over: -2...2, phase: 0.7)
            var fast = [Float](repeating: .nan, count: saved.count)
            var naive = fast
            unaryBackward(derivative, saved: saved, gradient: gradient, &fast, count: saved.count)
            referenceUnaryBackward(
                derivative, saved: saved, gradient: gradient, &naive, count: saved.count)
            expectElementsClose(
                fast, naive, inputs: saved, relative: 4e-6, absolute: 2e-6,
                "\(derivative) size \(size)")
        }
        let saved = Self.savedValues(derivative, count: 3000)
        let gradient = spread(saved.count, over: -2...2, phase: 0.7)
        var fast = [Float](repeating: .nan, count: saved.count)
        var naive = fast
        unaryBackward(derivative, saved: saved, gradient: gradient, &fast, count: saved.count)
        referenceUnaryBackward(
            derivative, saved: saved, gradient: gradient, &naive, count: saved.count)
        expectElementsClose(
            fast, naive, inputs: saved, relative: 4e-6, absolute: 2e-6, "\(derivative) wide")
        for (input, value) in zip(saved, fast) where input.isFinite {
            #expect(!value.isNaN, "\(derivative) at \(input) is NaN")
        }
    }

    @Test(arguments: [UnaryDerivative.gelu, .geluTanh, .silu])
    func derivativesAtInfinityAreTheirLimits(_ derivative: UnaryDerivative) {
        var out: [Float] = [.nan, .nan]
        unaryBackward(
            derivative, saved: [-.infinity, .infinity], gradient: [3, 3], &out, count: 2)
        #expect(out == [0, 3], "\(derivative)")
    }

    @Test func clampMatchesNaive() {
        let bounds: [(Float, Float)] = [(-0.5, 0.7), (-.infinity, 0), (0, .infinity), (2, 2)]
        for size in kernelTestSizes {
            let inputs = spread(size, over: -3...3) + [.nan, -.infinity, .infinity]
            for (lower, upper) in bounds {
                var fast = [Float](repeating: 0, count: inputs.count)
                var naive = fast
                clampMap(inputs, &fast, count: inputs.count, lowerBound: lower, upperBound: upper)
                referenceClamp(
                    inputs, &naive, count: inputs.count, lowerBound: lower, upperBound: upper)
                expectElementsClose(
                    fast, naive, relative: 0, absolute: 0, "clamp \(lower)...\(upper) size \(size)")
            }
        }
    }
}
