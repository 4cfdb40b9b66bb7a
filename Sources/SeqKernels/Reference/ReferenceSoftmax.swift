#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Naive twin of `softmaxAxis`: each column of an `[outer, length, inner]` block in `Double`.
package func referenceSoftmaxAxis(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int, logarithmic: Bool
) {
    for o in 0..<outer {
        for c in 0..<inner {
            let index = { (j: Int) in (o * length + j) * inner + c }
            var maximum = -Double.infinity
            for j in 0..<length { maximum = max(maximum, Double(x[index(j)])) }
            var total = 0.0
            for j in 0..<length { total += exp(Double(x[index(j)]) - maximum) }
            for j in 0..<length {
                let shifted = Double(x[index(j)]) - maximum
                out[index(j)] = Float(logarithmic ? shifted - log(total) : exp(shifted) / total)
            }
        }
    }
}

/// Naive twin of `softmaxAxisBackward`, in `Double`.
package func referenceSoftmaxAxisBackward(
    output y: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int, logarithmic: Bool
) {
    for o in 0..<outer {
        for c in 0..<inner {
            let index = { (j: Int) in (o * length + j) * inner + c }
            var reduced = 0.0
            for j in 0..<length {
                reduced += Double(g[index(j)]) * (logarithmic ? 1 : Double(y[index(j)]))
            }
            for j in 0..<length {
                let (gj, yj) = (Double(g[index(j)]), Double(y[index(j)]))
                dx[index(j)] = Float(logarithmic ? gj - exp(yj) * reduced : yj * (gj - reduced))
            }
        }
    }
}

/// Naive twin of `softmaxRows`.
package func referenceSoftmaxRows(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, width: Int
) {
    referenceSoftmaxAxis(x, out, outer: rows, length: width, inner: 1, logarithmic: false)
}

/// Naive twin of `logSoftmaxRows`.
package func referenceLogSoftmaxRows(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, width: Int
) {
    referenceSoftmaxAxis(x, out, outer: rows, length: width, inner: 1, logarithmic: true)
}

/// Naive twin of `softmaxRowsBackward`.
package func referenceSoftmaxRowsBackward(
    output y: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>, rows: Int, width: Int
) {
    referenceSoftmaxAxisBackward(
        output: y, outputGradient: g, inputGradient: dx, outer: rows, length: width, inner: 1,
        logarithmic: false)
}

/// Naive twin of `logSoftmaxRowsBackward`.
package func referenceLogSoftmaxRowsBackward(
    output y: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>, rows: Int, width: Int
) {
    referenceSoftmaxAxisBackward(
        output: y, outputGradient: g, inputGradient: dx, outer: rows, length: width, inner: 1,
        logarithmic: true)
}
