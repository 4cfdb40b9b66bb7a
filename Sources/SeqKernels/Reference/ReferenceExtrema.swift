import Foundation

/// Naive twin of `extremumAxis`: a triple loop with a scalar comparison.
package func referenceExtremumAxis(
    _ kind: Extremum, _ x: UnsafePointer<Float>, values: UnsafeMutablePointer<Float>,
    indices: UnsafeMutablePointer<Float>, outer: Int, length: Int, inner: Int
) {
    for o in 0..<outer {
        for i in 0..<inner {
            var best = x[o * length * inner + i]
            var bestIndex = 0
            for j in 1..<max(1, length) {
                let value = x[(o * length + j) * inner + i]
                let further = kind == .maximum ? value > best : value < best
                if further || (value.isNaN && !best.isNaN) { (best, bestIndex) = (value, j) }
            }
            values[o * inner + i] = best
            indices[o * inner + i] = Float(bestIndex)
        }
    }
}

/// Naive twin of `scatterAlongAxis`.
package func referenceScatterAlongAxis(
    _ gradient: UnsafePointer<Float>, indices: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>, outer: Int, length: Int, inner: Int
) {
    for o in 0..<outer {
        for j in 0..<length {
            for i in 0..<inner {
                let chosen = Int(indices[o * inner + i]) == j
                out[(o * length + j) * inner + i] = chosen ? gradient[o * inner + i] : 0
            }
        }
    }
}

/// Naive twin of `logSumExpAxis`, accumulated in Double.
package func referenceLogSumExpAxis(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int
) {
    for o in 0..<outer {
        for i in 0..<inner {
            var maximum = -Double.infinity
            for j in 0..<length { maximum = max(maximum, Double(x[(o * length + j) * inner + i])) }
            let shift = maximum.isFinite ? maximum : 0
            var total = 0.0
            for j in 0..<length { total += exp(Double(x[(o * length + j) * inner + i]) - shift) }
            out[o * inner + i] = Float(shift + log(total))
        }
    }
}
