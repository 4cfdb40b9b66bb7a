import SeqKernels
import Testing

@Suite struct CrossEntropyKernelTests {
    static let classCounts = [1, 15, 16, 17, 1000]
    static let rowCounts = [1, 3, 37]

    /// Targets cycling through the classes, with every fifth row set to the ignore index `-100`.
    private func targets(rows: Int, classes: Int) -> [Int32] {
        (0..<rows).map { $0 % 5 == 4 ? -100 : Int32(($0 * 7) % classes) }
    }

    @Test(arguments: classCounts, rowCounts)
    func crossEntropyMatchesReference(classes: Int, rows: Int) {
        let logits = fusedKernelInput(rows * classes, phase: 0.4, scale: 5)
        let ids = targets(rows: rows, classes: classes)
        let upstream = fusedKernelInput(rows, phase: 1.3, scale: 1)
        for (ignoreIndex, smoothing) in [(nil, 0), (Int32(-100), 0), (Int32(-100), 0.1)]
            as [(Int32?, Float)]
        {
            let context =
                "\(rows)×\(classes), ignore \(String(describing: ignoreIndex)), ε \(smoothing)"
            let ids = ignoreIndex == nil ? ids.map { max(0, $0) } : ids
            var (losses, naiveLosses) = (
                [Float](repeating: .nan, count: rows), [Float](repeating: .nan, count: rows)
            )
            var (lse, naiveLSE) = (losses, losses)
            crossEntropyRows(
                logits, targets: ids, losses: &losses, logSumExp: &lse, rows: rows,
                classes: classes, ignoreIndex: ignoreIndex, labelSmoothing: smoothing)
            referenceCrossEntropyRows(
                logits, targets: ids, losses: &naiveLosses, logSumExp: &naiveLSE, rows: rows,
                classes: classes, ignoreIndex: ignoreIndex, labelSmoothing: smoothing)
            expectFusedKernelClose(losses, naiveLosses, context + " losses")
            expectFusedKernelClose(lse, naiveLSE, context + " log-sum-exp")

            for (scales, stride) in [(upstream, 1), ([Float(0.37)], 0)] {
                var (dx, naiveDx) = (
                    [Float](repeating: .nan, count: logits.count),
                    [Float](repeating: .nan, count: logits.count)
                )
                crossEntropyRowsBackward(
                    logits, targets: ids, logSumExp: naiveLSE, scales: scales, scaleStride: stride,
                    inputGradient: &dx, rows: rows, classes: classes, ignoreIndex: ignoreIndex,
                    labelSmoothing: smoothing)
                referenceCrossEntropyRowsBackward(
                    logits, targets: ids, logSumExp: naiveLSE, scales: scales, scaleStride: stride,
                    inputGradient: &naiveDx, rows: rows, classes: classes, ignoreIndex: ignoreIndex,
                    labelSmoothing: smoothing)
                expectFusedKernelClose(
                    dx, naiveDx, relative: 1e-4, absolute: 1e-7, context + " dx, stride \(stride)")
            }
        }
    }

    @Test func extremeLogitsStayFinite() {
        let logits: [Float] = [1e4, -1e4, 0, -.infinity, 5e3, 1e4 - 2]
        var (loss, lse) = ([Float](repeating: .nan, count: 1), [Float](repeating: .nan, count: 1))
        crossEntropyRows(
            logits, targets: [Int32(5)], losses: &loss, logSumExp: &lse, rows: 1, classes: 6,
            ignoreIndex: nil, labelSmoothing: 0)
        #expect(abs(loss[0] - 2.126_928) < 1e-4)  // log(1 + e²) for a 2-logit gap
        var dx = [Float](repeating: .nan, count: 6)
        crossEntropyRowsBackward(
            logits, targets: [Int32(5)], logSumExp: lse, scales: [1], scaleStride: 0,
            inputGradient: &dx, rows: 1, classes: 6, ignoreIndex: nil, labelSmoothing: 0)
        #expect(dx.allSatisfy { $0.isFinite })
        // Float spacing at 1e4 is 1e-3, which bounds how exactly the probabilities sum to 1.
        #expect(abs(dx.reduce(0, +)) < 1e-3)
    }
}
