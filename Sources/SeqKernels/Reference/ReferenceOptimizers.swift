/// Naive twin of `sgdUpdate`: one element at a time, no SIMD, no threads.
package func referenceSGDUpdate(
    _ parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>,
    momentumBuffer: UnsafeMutablePointer<Float>?, count: Int, settings s: SGDSettings
) {
    for i in 0..<count {
        var direction = gradients[i]
        if s.weightDecay != 0 { direction += parameters[i] * s.weightDecay }
        if s.momentum != 0, let buffer = momentumBuffer {
            buffer[i] =
                s.isFirstStep ? direction : buffer[i] * s.momentum + direction * (1 - s.dampening)
            direction = s.nesterov ? direction + buffer[i] * s.momentum : buffer[i]
        }
        parameters[i] -= direction * s.learningRate
    }
}

/// Naive twin of `adamUpdate`.
package func referenceAdamUpdate(
    _ parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>,
    firstMoments: UnsafeMutablePointer<Float>, secondMoments: UnsafeMutablePointer<Float>,
    count: Int, settings s: AdamSettings
) {
    for i in 0..<count {
        var parameter = parameters[i] * s.parameterDecay
        let gradient = gradients[i] + parameter * s.gradientWeightDecay
        firstMoments[i] += (gradient - firstMoments[i]) * (1 - s.beta1)
        secondMoments[i] = secondMoments[i] * s.beta2 + gradient * (1 - s.beta2) * gradient
        let denominator = secondMoments[i].squareRoot() / s.biasCorrection2SquareRoot + s.epsilon
        parameter -= firstMoments[i] * s.stepSize / denominator
        parameters[i] = parameter
    }
}

/// Naive twin of `chunkedSumOfSquares`: one running `Double` sum.
package func referenceSumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
    var total = 0.0
    for i in 0..<count { total += Double(x[i]) * Double(x[i]) }
    return total
}

/// Naive twin of `scaleInPlace`.
package func referenceScaleInPlace(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
    for i in 0..<count { x[i] *= factor }
}
