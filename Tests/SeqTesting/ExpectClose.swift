import SeqTensor
import Testing

/// Expects `actual` to have `expected`'s shape and every element within
/// `tolerance · max(1, |expected|)`; reports the first and the worst offending element.
public func expectClose(
    _ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        actual.shape == expected.shape, "shape \(actual.shape) ≠ expected \(expected.shape)",
        sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    expectClose(
        actual.scalars, expected.scalars, tolerance: tolerance, sourceLocation: sourceLocation)
}

/// Expects two arrays of equal length whose elements are within `tolerance · max(1, |expected|)`.
public func expectClose(
    _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        actual.count == expected.count, "\(actual.count) elements ≠ expected \(expected.count)",
        sourceLocation: sourceLocation)
    var worst: (index: Int, error: Float)? = nil
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        let error = abs(a - e) / max(1, abs(e))
        if !(error <= tolerance), error > (worst?.error ?? -1) || error.isNaN {
            worst = (index, error)
        }
    }
    if let worst {
        Issue.record(
            "element \(worst.index): \(actual[worst.index]) vs expected \(expected[worst.index]) (relative error \(worst.error) > \(tolerance))",
            sourceLocation: sourceLocation)
    }
}
