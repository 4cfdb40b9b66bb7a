/// Naive twin of `layerNormRows`: loops per row in `Double`.
package func referenceLayerNormRows(
    _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
    _ out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    inverseStd: UnsafeMutablePointer<Float>, rows: Int, width: Int, epsilon: Float
) {
    for row in 0..<rows {
        let values = (0..<width).map { Double(x[row * width + $0]) }
        let average = values.reduce(0, +) / Double(width)
        let variance = values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(width)
        let scale = 1 / (variance + Double(epsilon)).squareRoot()
        mean[row] = Float(average)
        inverseStd[row] = Float(scale)
        for i in 0..<width {
            let w = weight.map { Double($0[i]) } ?? 1
            let b = bias.map { Double($0[i]) } ?? 0
            out[row * width + i] = Float((values[i] - average) * scale * w + b)
        }
    }
}

/// Naive twin of `layerNormRowsBackward`, in `Double`, summing weight and bias rows in order.
package func referenceLayerNormRowsBackward(
    outputGradient g: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    weight: UnsafePointer<Float>?, mean: UnsafePointer<Float>, inverseStd: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>?, weightGradient: UnsafeMutablePointer<Float>?,
    biasGradient: UnsafeMutablePointer<Float>?, rows: Int, width: Int
) {
    var dw = [Double](repeating: 0, count: width)
    var db = [Double](repeating: 0, count: width)
    for row in 0..<rows {
        let offset = row * width
        let scale = Double(inverseStd[row])
        var normalized = [Double](repeating: 0, count: width)
        var scaled = [Double](repeating: 0, count: width)
        for i in 0..<width {
            normalized[i] = (Double(x[offset + i]) - Double(mean[row])) * scale
            scaled[i] = Double(g[offset + i]) * (weight.map { Double($0[i]) } ?? 1)
            dw[i] += Double(g[offset + i]) * normalized[i]
            db[i] += Double(g[offset + i])
        }
        let meanG = scaled.reduce(0, +) / Double(width)
        let meanGX = zip(scaled, normalized).reduce(0) { $0 + $1.0 * $1.1 } / Double(width)
        for i in 0..<width {
            inputGradient?[offset + i] = Float(scale * (scaled[i] - meanG - normalized[i] * meanGX))
        }
    }
    for i in 0..<width {
        weightGradient?[i] = Float(dw[i])
        biasGradient?[i] = Float(db[i])
    }
}

/// Naive twin of `rmsNormRows`, in `Double`.
package func referenceRMSNormRows(
    _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
    _ out: UnsafeMutablePointer<Float>, inverseRMS: UnsafeMutablePointer<Float>,
    rows: Int, width: Int, epsilon: Float
) {
    for row in 0..<rows {
        let values = (0..<width).map { Double(x[row * width + $0]) }
        let meanSquare = values.reduce(0) { $0 + $1 * $1 } / Double(width)
        let scale = 1 / (meanSquare + Double(epsilon)).squareRoot()
        inverseRMS[row] = Float(scale)
        for i in 0..<width {
            out[row * width + i] = Float(values[i] * scale * (weight.map { Double($0[i]) } ?? 1))
        }
    }
}

/// Naive twin of `rmsNormRowsBackward`, in `Double`, summing weight rows in order.
package func referenceRMSNormRowsBackward(
    outputGradient g: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    weight: UnsafePointer<Float>?, inverseRMS: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>?, weightGradient: UnsafeMutablePointer<Float>?,
    rows: Int, width: Int
) {
    var dw = [Double](repeating: 0, count: width)
    for row in 0..<rows {
        let offset = row * width
        let scale = Double(inverseRMS[row])
        var normalized = [Double](repeating: 0, count: width)
        var scaled = [Double](repeating: 0, count: width)
        for i in 0..<width {
            normalized[i] = Double(x[offset + i]) * scale
            scaled[i] = Double(g[offset + i]) * (weight.map { Double($0[i]) } ?? 1)
            dw[i] += Double(g[offset + i]) * normalized[i]
        }
        let meanGX = zip(scaled, normalized).reduce(0) { $0 + $1.0 * $1.1 } / Double(width)
        for i in 0..<width {
            inputGradient?[offset + i] = Float(scale * (scaled[i] - normalized[i] * meanGX))
        }
    }
    for i in 0..<width { weightGradient?[i] = Float(dw[i]) }
}
