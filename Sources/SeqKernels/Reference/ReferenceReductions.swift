/// Naive twin of `sumAxis`: a triple loop.
package func referenceSumAxis(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    outer: Int, length: Int, inner: Int
) {
    for o in 0..<outer {
        for i in 0..<inner {
            var total: Float = 0
            for j in 0..<length { total += x[(o * length + j) * inner + i] }
            out[o * inner + i] = total
        }
    }
}
