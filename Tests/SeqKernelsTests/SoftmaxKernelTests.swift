import Foundation
import SeqKernels
import Testing

/// Deterministic, irregular test data: `scale · sin(0.731 · i + phase)`.
func fusedKernelInput(_ count: Int, phase: Float = 0, scale: Float = 4) -> [Float] {
    (0..<count).map { scale * sin(0.731 * Float($0) + phase) }
}

/// Expects `|actual − expected| ≤ relative · |expected| + absolute` element by element.
func expectFusedKernelClose(
    _ actual: [Float], _ expected: [Float], relative: Float = 1e-5, absolute: Float = 1e-6,
    _ context: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(context): element counts differ")
    for (index, (a, e)) in zip(actual, expected).enumerated()
    where !(abs(a - e) <= relative * abs(e) + absolute) {
        Issue.record(
            "\(context): element \(index) is \(a), expected \(e)", sourceLocation: sourceLocation)
        return
    }
}

@Suite struct SoftmaxKernelTests {
    static let widths = [1, 15, 16, 17, 1000]
    static let rowCounts = [1, 3, 37]

    @Test(arguments: widths, rowCounts)
    func softmaxRowsMatchReference(width: Int, rows: Int) {
        let x = fusedKernelInput(rows * width)
        for logarithmic in [false, true] {
            var fast = [Float](repeating: .nan, count: x.count)
            var naive = fast
            let (kernel, reference) =
                logarithmic
                ? (logSoftmaxRows, referenceLogSoftmaxRows) : (softmaxRows, referenceSoftmaxRows)
            kernel(x, &fast, rows, width)
            reference(x, &naive, rows, width)
            expectFusedKernelClose(
                fast, naive, absolute: 1e-7, "log \(logarithmic), \(rows)×\(width)")
        }
    }

    @Test(arguments: widths, rowCounts)
    func softmaxRowsBackwardMatchesReference(width: Int, rows: Int) {
        let x = fusedKernelInput(rows * width)
        let g = fusedKernelInput(rows * width, phase: 1, scale: 1)
        for logarithmic in [false, true] {
            var y = [Float](repeating: 0, count: x.count)
            (logarithmic ? referenceLogSoftmaxRows : referenceSoftmaxRows)(x, &y, rows, width)
            var fast = [Float](repeating: .nan, count: x.count)
            var naive = fast
            if logarithmic {
                logSoftmaxRowsBackward(
                    output: y, outputGradient: g, inputGradient: &fast, rows: rows, width: width)
                referenceLogSoftmaxRowsBackward(
                    output: y, outputGradient: g, inputGradient: &naive, rows: rows, width: width)
            } else {
                softmaxRowsBackward(
                    output: y, outputGradient: g, inputGradient: &fast, rows: rows, width: width)
                referenceSoftmaxRowsBackward(
                    output: y, outputGradient: g, inputGradient: &naive, rows: rows, width: width)
            }
            expectFusedKernelClose(
                fast, naive, relative: 1e-4, absolute: 1e-6, "log \(logarithmic), \(rows)×\(width)")
        }
    }

    @Test(arguments: [(2, 5, 1), (3, 17, 15), (2, 7, 16), (1, 1000, 17), (4, 16, 3), (1, 1, 33)])
    func softmaxAxisMatchesReference(outer: Int, length: Int, inner: Int) {
        let count = outer * length * inner
        let x = fusedKernelInput(count)
        let g = fusedKernelInput(count, phase: 2, scale: 1)
        for logarithmic in [false, true] {
            var fast = [Float](repeating: .nan, count: count)
            var naive = fast
            softmaxAxis(
                x, &fast, outer: outer, length: length, inner: inner, logarithmic: logarithmic)
            referenceSoftmaxAxis(
                x, &naive, outer: outer, length: length, inner: inner, logarithmic: logarithmic)
            let context = "log \(logarithmic), [\(outer), \(length), \(inner)]"
            expectFusedKernelClose(fast, naive, absolute: 1e-7, context)

            var fastGradient = [Float](repeating: .nan, count: count)
            var naiveGradient = fastGradient
            softmaxAxisBackward(
                output: naive, outputGradient: g, inputGradient: &fastGradient, outer: outer,
                length: length, inner: inner, logarithmic: logarithmic)
            referenceSoftmaxAxisBackward(
                output: naive, outputGradient: g, inputGradient: &naiveGradient, outer: outer,
                length: length, inner: inner, logarithmic: logarithmic)
            expectFusedKernelClose(
                fastGradient, naiveGradient, relative: 1e-4, absolute: 1e-6, context)
        }
    }

    @Test func softmaxHandlesMaskedAndHugeLogits() {
        let x: [Float] = [
            0, -.infinity, 3e4, -1e9, 3e4 - 1, 2, -.infinity, 1, 5, 6, 7, 8, 9, 1, 2, 3, 4,
        ]
        var y = [Float](repeating: .nan, count: x.count)
        softmaxRows(x, &y, rows: 1, width: x.count)
        #expect(y.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect(abs(y.reduce(0, +) - 1) < 1e-6)
        #expect(y[1] == 0 && y[3] == 0)
        #expect(abs(y[2] - 1 / (1 + exp(-1))) < 1e-6)
        logSoftmaxRows(x, &y, rows: 1, width: x.count)
        // Float spacing at 3e4 is 0.002, so the log-sum-exp itself is only that accurate.
        #expect(y[1] == -.infinity && y[3] < -1e8 && abs(y[2] + log(1 + exp(-1))) < 4e-3)
    }

    @Test func parallelRowsMatchRowByRow() {
        let (rows, width) = (300, 257)
        let x = fusedKernelInput(rows * width)
        var whole = [Float](repeating: 0, count: x.count)
        var single = whole
        softmaxRows(x, &whole, rows: rows, width: width)
        x.withUnsafeBufferPointer { source in
            single.withUnsafeMutableBufferPointer { target in
                guard let source = source.baseAddress, let target = target.baseAddress else {
                    return
                }
                for row in 0..<rows {
                    softmaxRows(source + row * width, target + row * width, rows: 1, width: width)
                }
            }
        }
        #expect(whole == single)
    }

    @Test func vectorExpIsAccurateAndClamped() {
        var worst: Double = 0
        var x: Float = -87
        while x < 88.7 {
            let value = vectorExp(SIMD16<Float>((0..<16).map { x + Float($0) * 1e-3 }))
            for lane in 0..<16 {
                let exact = Foundation.exp(Double(x + Float(lane) * 1e-3))
                worst = max(worst, abs(Double(value[lane]) - exact) / exact)
            }
            x += 0.0371
        }
        #expect(worst < 2e-7, "worst relative error \(worst)")
        let edges = vectorExp(
            SIMD16<Float>(
                -.infinity, -1e30, -1000, -105, 0, 1, -1, 88.72, 88.73, 1e30, .infinity, .nan,
                -88, -100, 10, 0.5))
        #expect(edges[0] == 0 && edges[1] == 0 && edges[2] == 0 && edges[3] == 0)
        #expect(edges[4] == 1 && abs(edges[5] - Float(M_E)) < 1e-6)
        #expect(abs(edges[6] - Float(Foundation.exp(-1.0))) < 1e-7)
        #expect(edges[7].isFinite && edges[7] > 3.3e38)
        #expect(edges[8] == .infinity && edges[9] == .infinity && edges[10] == .infinity)
        #expect(edges[11].isNaN)
        #expect(abs(Double(edges[12]) / Foundation.exp(-88) - 1) < 1e-3)  // subnormal
        #expect(edges[13] > 0 && edges[13] < 1e-40)
    }

    @Test func kernelExponentialFlushesOnlySubnormals() {
        #expect(vectorExpNonPositive(SIMD16<Float>(repeating: -.infinity)) == .zero)
        #expect(vectorExpNonPositive(SIMD16<Float>(repeating: -1e9)) == .zero)
        #expect(vectorExpNonPositive(SIMD16<Float>(repeating: .nan))[0].isNaN)
        let input: Float = -87.3
        let normal = vectorExpNonPositive(SIMD16<Float>(repeating: input))[0]
        #expect(abs(Double(normal) / Foundation.exp(Double(input)) - 1) < 2e-7)
    }
}
