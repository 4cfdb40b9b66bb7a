import SeqKernels
import Testing

@Suite struct NormalizationKernelTests {
    static let widths = [1, 15, 16, 17, 1000]
    static let rowCounts = [1, 3, 37]
    /// Which affine parameters are present: (weight, bias).
    static let affine = [(true, true), (true, false), (false, true), (false, false)]

    @Test(arguments: widths, rowCounts)
    func layerNormMatchesReference(width: Int, rows: Int) {
        let x = fusedKernelInput(rows * width, phase: 0.3, scale: 3)
        let g = fusedKernelInput(rows * width, phase: 1.1, scale: 1)
        let weight = fusedKernelInput(width, phase: 2, scale: 0.5).map { $0 + 1 }
        let bias = fusedKernelInput(width, phase: 3, scale: 0.5)
        for (hasWeight, hasBias) in Self.affine {
            let context = "\(rows)×\(width), weight \(hasWeight), bias \(hasBias)"
            let w = hasWeight ? weight : nil
            let b = hasBias ? bias : nil
            let fast = LayerNormRun(x, w, b, rows: rows, width: width, reference: false)
            let naive = LayerNormRun(x, w, b, rows: rows, width: width, reference: true)
            expectFusedKernelClose(fast.output, naive.output, context + " output")
            expectFusedKernelClose(fast.mean, naive.mean, context + " mean")
            expectFusedKernelClose(
                fast.inverseStd, naive.inverseStd, relative: 1e-4, context + " 1/σ")

            let fastGradients = fast.backward(g, x, w)
            let naiveGradients = naive.backward(g, x, w)
            for (name, a, e) in zip3(["dx", "dweight", "dbias"], fastGradients, naiveGradients) {
                expectFusedKernelClose(a, e, relative: 1e-4, absolute: 1e-4, context + " " + name)
            }
        }
    }

    @Test(arguments: widths, rowCounts)
    func rmsNormMatchesReference(width: Int, rows: Int) {
        let x = fusedKernelInput(rows * width, phase: 0.7, scale: 3)
        let g = fusedKernelInput(rows * width, phase: 1.9, scale: 1)
        let weight = fusedKernelInput(width, phase: 2.5, scale: 0.5).map { $0 + 1 }
        for hasWeight in [true, false] {
            let context = "\(rows)×\(width), weight \(hasWeight)"
            let w = hasWeight ? weight : nil
            var (fast, naive) = (
                [Float](repeating: .nan, count: x.count), [Float](repeating: .nan, count: x.count)
            )
            var (fastScale, naiveScale) = (
                [Float](repeating: .nan, count: rows), [Float](repeating: .nan, count: rows)
            )
            rmsNormRows(
                x, weight: w, &fast, inverseRMS: &fastScale, rows: rows, width: width, epsilon: 1e-6
            )
            referenceRMSNormRows(
                x, weight: w, &naive, inverseRMS: &naiveScale, rows: rows, width: width,
                epsilon: 1e-6)
            expectFusedKernelClose(fast, naive, context + " output")
            expectFusedKernelClose(fastScale, naiveScale, relative: 1e-4, context + " 1/rms")

            var (dx, naiveDx) = (
                [Float](repeating: .nan, count: x.count), [Float](repeating: .nan, count: x.count)
            )
            var (dw, naiveDw) = (
                [Float](repeating: .nan, count: width), [Float](repeating: .nan, count: width)
            )
            rmsNormRowsBackward(
                outputGradient: g, x, weight: w, inverseRMS: naiveScale, inputGradient: &dx,
                weightGradient: &dw, rows: rows, width: width)
            referenceRMSNormRowsBackward(
                outputGradient: g, x, weight: w, inverseRMS: naiveScale, inputGradient: &naiveDx,
                weightGradient: &naiveDw, rows: rows, width: width)
            expectFusedKernelClose(dx, naiveDx, relative: 1e-4, absolute: 1e-5, context + " dx")
            expectFusedKernelClose(
                dw, naiveDw, relative: 1e-4, absolute: 1e-4, context + " dweight")
        }
    }

    @Test func parameterGradientsSpanManyChunks() {
        // 2000 rows of 100 span four fixed-size chunks of 655 rows whose partial sums combine.
        let (rows, width) = (2000, 100)
        let x = fusedKernelInput(rows * width, phase: 0.1, scale: 2)
        let g = fusedKernelInput(rows * width, phase: 0.9, scale: 1)
        let weight = fusedKernelInput(width, phase: 4, scale: 0.3).map { $0 + 1 }
        let fast = LayerNormRun(x, weight, nil, rows: rows, width: width, reference: false)
        let fastGradients = fast.backward(g, x, weight)
        let naiveGradients = LayerNormRun(x, weight, nil, rows: rows, width: width, reference: true)
            .backward(g, x, weight)
        for (name, a, e) in zip3(["dx", "dweight", "dbias"], fastGradients, naiveGradients) {
            expectFusedKernelClose(a, e, relative: 1e-4, absolute: 1e-4, name)
        }
        // Skipping the input gradient leaves the parameter gradients bit for bit unchanged.
        var (dw, db) = (
            [Float](repeating: .nan, count: width), [Float](repeating: .nan, count: width)
        )
        layerNormRowsBackward(
            outputGradient: g, x, weight: weight, mean: fast.mean, inverseStd: fast.inverseStd,
            inputGradient: nil, weightGradient: &dw, biasGradient: &db, rows: rows, width: width)
        #expect(dw == fastGradients[1] && db == fastGradients[2])
    }
}

/// One forward pass of the fast or the naive layer-norm kernel, with its saved statistics.
private struct LayerNormRun {
    var output: [Float]
    var mean: [Float]
    var inverseStd: [Float]
    let rows: Int
    let width: Int
    let reference: Bool

    init(_ x: [Float], _ weight: [Float]?, _ bias: [Float]?, rows: Int, width: Int, reference: Bool)
    {
        (self.rows, self.width, self.reference) = (rows, width, reference)
        output = [Float](repeating: .nan, count: x.count)
        mean = [Float](repeating: .nan, count: rows)
        inverseStd = [Float](repeating: .nan, count: rows)
        let kernel = reference ? referenceLayerNormRows : layerNormRows
        kernel(x, weight, bias, &output, &mean, &inverseStd, rows, width, 1e-5)
    }

    /// `[dx, dweight, dbias]` for output gradient `g`, from this run's statistics.
    func backward(_ g: [Float], _ x: [Float], _ weight: [Float]?) -> [[Float]] {
        var dx = [Float](repeating: .nan, count: x.count)
        var dw = [Float](repeating: .nan, count: width)
        var db = [Float](repeating: .nan, count: width)
        let kernel = reference ? referenceLayerNormRowsBackward : layerNormRowsBackward
        kernel(g, x, weight, mean, inverseStd, &dx, &dw, &db, rows, width)
        return [dx, dw, db]
    }
}

private func zip3<A, B, C>(_ a: [A], _ b: [B], _ c: [C]) -> [(A, B, C)] {
    zip(a, zip(b, c)).map { ($0, $1.0, $1.1) }
}
