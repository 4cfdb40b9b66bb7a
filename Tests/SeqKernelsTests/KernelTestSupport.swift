import Testing

/// The odd sizes every kernel is checked at: one element, around one SIMD16 vector, and a
/// length with a tail.
let kernelTestSizes = [1, 15, 16, 17, 1000]

/// `count` deterministic values spread over `range` (a golden-ratio sequence, so any prefix is
/// spread out too).
func spread(_ count: Int, over range: ClosedRange<Float>, phase: Double = 0.123) -> [Float] {
    (0..<count).map { i in
        let fraction = (Double(i) * 0.618_033_988_749_895 + phase).truncatingRemainder(
            dividingBy: 1)
        return range.lowerBound + Float(fraction) * (range.upperBound - range.lowerBound)
    }
}

/// Positive values whose magnitudes span `2^lowestPower … 2^highestPower`, spread in log space.
func spreadMagnitudes(_ count: Int, powers: ClosedRange<Float>, phase: Double = 0.321) -> [Float] {
    spread(count, over: powers, phase: phase).map { Float.pow2($0) }
}

/// Values from −3e38 to 3e38 through every binade, both signs, with 0, −0 and ±inf.
func wideRange(_ count: Int) -> [Float] {
    let magnitudes = spreadMagnitudes(count / 2, powers: -149...127.9)
    return [0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        + magnitudes + magnitudes.map { -$0 }
}

/// Whether `actual` is within `relative · |expected|` or `absolute` of `expected`; equal
/// infinities and two NaNs match.
func isClose(_ actual: Float, _ expected: Float, relative: Float, absolute: Float) -> Bool {
    if actual == expected || (actual.isNaN && expected.isNaN) { return true }
    return abs(actual - expected) <= max(relative * abs(expected), absolute)
}

/// Expects every element of `actual` to be close to `expected`; reports the worst one.
func expectElementsClose(
    _ actual: [Float], _ expected: [Float], inputs: [Float]? = nil, relative: Float,
    absolute: Float, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(label): lengths", sourceLocation: sourceLocation)
    var worst: (index: Int, error: Float)? = nil
    for index in actual.indices
    where !isClose(
        actual[index], expected[index], relative: relative, absolute: absolute)
    {
        let error = abs(actual[index] - expected[index]) / max(abs(expected[index]), absolute)
        if error.isNaN || error > (worst?.error ?? -1) { worst = (index, error) }
    }
    if let (index, error) = worst {
        let input = inputs.map { " at input \($0[index])" } ?? ""
        Issue.record(
            "\(label): element \(index)\(input) is \(actual[index]), expected \(expected[index]) (scaled error \(error))",
            sourceLocation: sourceLocation)
    }
}

extension Float {
    /// `2^x` for the test inputs.
    fileprivate static func pow2(_ x: Float) -> Float { Float(exp2(Double(x))) }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
