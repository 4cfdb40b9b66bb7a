#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Naive twin of `crossEntropyRows`: log-softmax of each row in `Double`, then the smoothed loss.
package func referenceCrossEntropyRows(
    _ logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
    losses: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>,
    rows: Int, classes: Int, ignoreIndex: Int32?, labelSmoothing: Float
) {
    let smoothing = Double(labelSmoothing)
    for row in 0..<rows {
        guard targets[row] != ignoreIndex else {
            losses[row] = 0
            logSumExp[row] = 0
            continue
        }
        let values = (0..<classes).map { Double(logits[row * classes + $0]) }
        let maximum = values.max() ?? 0
        let lse = maximum + log(values.reduce(0) { $0 + exp($1 - maximum) })
        let negativeLogProbabilities = values.map { lse - $0 }
        let nll = negativeLogProbabilities[Int(targets[row])]
        let uniform = negativeLogProbabilities.reduce(0, +) / Double(classes)
        losses[row] = Float((1 - smoothing) * nll + smoothing * uniform)
        logSumExp[row] = Float(lse)
    }
}

/// Naive twin of `crossEntropyRowsBackward`: `scale · (softmax − smoothed one-hot)` in `Double`.
package func referenceCrossEntropyRowsBackward(
    _ logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
    logSumExp: UnsafePointer<Float>, scales: UnsafePointer<Float>, scaleStride: Int,
    inputGradient dx: UnsafeMutablePointer<Float>,
    rows: Int, classes: Int, ignoreIndex: Int32?, labelSmoothing: Float
) {
    let smoothing = Double(labelSmoothing)
    for row in 0..<rows {
        let ignored = targets[row] == ignoreIndex
        let scale = Double(scales[row * scaleStride])
        for c in 0..<classes {
            let p = exp(Double(logits[row * classes + c]) - Double(logSumExp[row]))
            let target = (c == Int(targets[row]) ? 1 - smoothing : 0) + smoothing / Double(classes)
            dx[row * classes + c] = ignored ? 0 : Float(scale * (p - target))
        }
    }
}
