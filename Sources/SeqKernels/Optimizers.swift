/// Hyper-parameters of one SGD update (`torch.optim.SGD`).
package struct SGDSettings: Sendable {
    package var learningRate: Float
    package var momentum: Float
    package var dampening: Float
    package var nesterov: Bool
    package var weightDecay: Float
    /// Whether the momentum buffer is empty: torch sets it to the first direction as is.
    package var isFirstStep: Bool

    package init(
        learningRate: Float, momentum: Float, dampening: Float, nesterov: Bool,
        weightDecay: Float, isFirstStep: Bool
    ) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.isFirstStep = isFirstStep
    }
}

/// One SGD update of `count` parameters in place, as `torch.optim.SGD` does it.
///
/// `d = g + weightDecay·p`; with momentum, `b = d` on the first step and
/// `b = momentum·b + (1 − dampening)·d` after, then `d = d + momentum·b` (Nesterov) or `d = b`;
/// finally `p −= learningRate·d`. `momentumBuffer` is ignored when `momentum` is 0.
package func sgdUpdate(
    _ parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>,
    momentumBuffer: UnsafeMutablePointer<Float>?, count: Int, settings: SGDSettings
) {
    precondition(
        settings.momentum == 0 || momentumBuffer != nil, "sgdUpdate: momentum needs a buffer")
    // Without momentum the buffer is never read or written; aliasing the parameters is harmless.
    nonisolated(unsafe) let (p, g, b) = (parameters, gradients, momentumBuffer ?? parameters)
    parallelFor(count, minimumChunk: elementwiseMinimumChunk) { range in  // disjoint ranges
        let (rawP, rawG, rawB) = (
            UnsafeMutableRawPointer(p), UnsafeRawPointer(g), UnsafeMutableRawPointer(b)
        )
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            let (parameter, buffer) = sgdLanes(
                rawP.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self),
                rawG.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self),
                rawB.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self), settings)
            rawP.storeBytes(of: parameter, toByteOffset: i * 4, as: SIMD16<Float>.self)
            if settings.momentum != 0 {
                rawB.storeBytes(of: buffer, toByteOffset: i * 4, as: SIMD16<Float>.self)
            }
            i += 16
        }
        guard i < range.upperBound else { return }
        // The tail goes through the same lane arithmetic, padded with zeros.
        let tail = range.upperBound - i
        var (parameters, gradients, buffers) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        for lane in 0..<tail {
            (parameters[lane], gradients[lane], buffers[lane]) = (
                p[i + lane], g[i + lane], b[i + lane]
            )
        }
        let (parameter, buffer) = sgdLanes(parameters, gradients, buffers, settings)
        for lane in 0..<tail {
            p[i + lane] = parameter[lane]
            if settings.momentum != 0 { b[i + lane] = buffer[lane] }
        }
    }
}

/// The SGD update of 16 lanes: the new parameters and momentum buffer.
@inline(__always)
private func sgdLanes(
    _ parameter: SIMD16<Float>, _ gradient: SIMD16<Float>, _ buffer: SIMD16<Float>,
    _ s: SGDSettings
) -> (parameter: SIMD16<Float>, buffer: SIMD16<Float>) {
    var direction = gradient
    if s.weightDecay != 0 { direction += parameter * s.weightDecay }
    guard s.momentum != 0 else { return (parameter - direction * s.learningRate, buffer) }
    let buffer =
        s.isFirstStep ? direction : buffer * s.momentum + direction * (1 - s.dampening)
    direction = s.nesterov ? direction + buffer * s.momentum : buffer
    return (parameter - direction * s.learningRate, buffer)
}

/// Hyper-parameters of one Adam or AdamW update, with the step-dependent factors precomputed.
package struct AdamSettings: Sendable {
    package var beta1: Float
    package var beta2: Float
    package var epsilon: Float
    /// L2 coefficient added to the gradient (Adam); `0` for AdamW.
    package var gradientWeightDecay: Float
    /// Factor the parameters are multiplied by before the update: `1 − lr·weightDecay` for
    /// AdamW, `1` for Adam.
    package var parameterDecay: Float
    /// `lr / (1 − beta1^step)`.
    package var stepSize: Float
    /// `√(1 − beta2^step)`.
    package var biasCorrection2SquareRoot: Float

    /// Settings for step number `step` (counted from 1); factors are computed in `Double`, as
    /// PyTorch computes them in Python floats.
    package init(
        learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float,
        decoupled: Bool, step: Int
    ) {
        precondition(step >= 1, "AdamSettings: step must count from 1, got \(step)")
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        gradientWeightDecay = decoupled ? 0 : weightDecay
        parameterDecay = decoupled ? Float(1 - Double(learningRate) * Double(weightDecay)) : 1
        let biasCorrection1 = 1 - pow(Double(beta1), Double(step))
        let biasCorrection2 = 1 - pow(Double(beta2), Double(step))
        stepSize = Float(Double(learningRate) / biasCorrection1)
        biasCorrection2SquareRoot = Float(biasCorrection2.squareRoot())
    }
}

/// One Adam / AdamW update of `count` parameters and their two moment buffers, in place.
///
/// `p ← p·parameterDecay`; `g ← g + gradientWeightDecay·p`; `m ← m + (1 − β₁)(g − m)`;
/// `v ← β₂v + (1 − β₂)g²`; `p ← p − stepSize · m / (√v / √(1 − β₂ᵗ) + ε)`, the order of
/// PyTorch's single-tensor `adam` / `adamw`.
package func adamUpdate(
    _ parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>,
    firstMoments: UnsafeMutablePointer<Float>, secondMoments: UnsafeMutablePointer<Float>,
    count: Int, settings: AdamSettings
) {
    nonisolated(unsafe) let (p, g, m, v) = (parameters, gradients, firstMoments, secondMoments)
    parallelFor(count, minimumChunk: elementwiseMinimumChunk) { range in  // disjoint ranges
        let (rawP, rawG) = (UnsafeMutableRawPointer(p), UnsafeRawPointer(g))
        let (rawM, rawV) = (UnsafeMutableRawPointer(m), UnsafeMutableRawPointer(v))
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            let offset = i * 4
            let (parameter, first, second) = adamLanes(
                rawP.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self),
                rawG.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self),
                rawM.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self),
                rawV.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self), settings)
            rawP.storeBytes(of: parameter, toByteOffset: offset, as: SIMD16<Float>.self)
            rawM.storeBytes(of: first, toByteOffset: offset, as: SIMD16<Float>.self)
            rawV.storeBytes(of: second, toByteOffset: offset, as: SIMD16<Float>.self)
            i += 16
        }
        guard i < range.upperBound else { return }
        // The tail goes through the same lane arithmetic, padded with zeros.
        let tail = range.upperBound - i
        var (parameters, gradients) = (SIMD16<Float>(), SIMD16<Float>())
        var (firsts, seconds) = (SIMD16<Float>(), SIMD16<Float>())
        for lane in 0..<tail {
            (parameters[lane], gradients[lane]) = (p[i + lane], g[i + lane])
            (firsts[lane], seconds[lane]) = (m[i + lane], v[i + lane])
        }
        let (parameter, first, second) = adamLanes(parameters, gradients, firsts, seconds, settings)
        for lane in 0..<tail {
            (p[i + lane], m[i + lane], v[i + lane]) = (parameter[lane], first[lane], second[lane])
        }
    }
}

/// The Adam update of 16 lanes: the new parameters, first and second moments.
@inline(__always)
private func adamLanes(
    _ parameter: SIMD16<Float>, _ gradient: SIMD16<Float>, _ first: SIMD16<Float>,
    _ second: SIMD16<Float>, _ s: AdamSettings
) -> (parameter: SIMD16<Float>, first: SIMD16<Float>, second: SIMD16<Float>) {
    var parameter = parameter
    var gradient = gradient
    if s.parameterDecay != 1 { parameter *= s.parameterDecay }
    if s.gradientWeightDecay != 0 { gradient += parameter * s.gradientWeightDecay }
    let first = first + (gradient - first) * (1 - s.beta1)
    let second = second * s.beta2 + gradient * (1 - s.beta2) * gradient
    let denominator = second.squareRoot() / s.biasCorrection2SquareRoot + s.epsilon
    return (parameter - first * s.stepSize / denominator, first, second)
}

/// Floats per partial sum of `chunkedSumOfSquares`: fixed, so the result never depends on how
/// many cores share the work.
package let sumOfSquaresChunk = 4096

/// `Σ x[i]²` over `count` floats, identical on any core count.
///
/// Each block of `sumOfSquaresChunk` floats is summed in `Float` over 16 lanes; the block sums
/// are added in index order in `Double`.
package func chunkedSumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
    let chunks = (count + sumOfSquaresChunk - 1) / sumOfSquaresChunk
    guard chunks > 1 else { return Double(blockSumOfSquares(x, count: count)) }
    var partials = [Double](repeating: 0, count: chunks)
    partials.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        nonisolated(unsafe) let (x, out) = (x, base)  // each chunk writes its own partial
        parallelFor(chunks, minimumChunk: max(1, elementwiseMinimumChunk / sumOfSquaresChunk)) {
            range in
            for chunk in range {
                let start = chunk * sumOfSquaresChunk
                out[chunk] = Double(
                    blockSumOfSquares(x + start, count: min(sumOfSquaresChunk, count - start)))
            }
        }
    }
    return partials.reduce(0, +)
}

@inline(__always)
private func blockSumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Float {
    let raw = UnsafeRawPointer(x)
    var lanes = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        let values = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
        lanes += values * values
        i += 16
    }
    var total = lanes.sum()
    while i < count { total += x[i] * x[i]; i += 1 }
    return total
}

/// `x[i] *= factor` over `count` floats, in place.
package func scaleInPlace(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
    nonisolated(unsafe) let x = x  // workers touch disjoint ranges
    parallelFor(count, minimumChunk: elementwiseMinimumChunk) { range in
        let raw = UnsafeMutableRawPointer(x)
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            let lanes = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            raw.storeBytes(of: lanes * factor, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < range.upperBound { x[i] *= factor; i += 1 }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
