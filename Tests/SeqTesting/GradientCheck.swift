import SeqTensor
import Testing

/// Checks the backward pass of `f` against central differences in one random direction.
///
/// The loss is `⟨f(x), w⟩` with fixed random `w`, never a plain sum: the sum of a softmax,
/// or of a normalised vector, is constant, so a backward returning zeros would pass. For
/// tensors of at most `elementwiseLimit` elements every coordinate is also checked on its own.
public func expectGradientsMatch(
    _ f: (Tensor) -> Tensor, at x: Tensor, seed: UInt64 = 7,
    epsilon: Float = 1e-2, tolerance: Double = 1e-2, elementwiseLimit: Int = 24,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectGradientsMatch(
        { f($0[0]) }, at: [x], seed: seed, epsilon: epsilon, tolerance: tolerance,
        elementwiseLimit: elementwiseLimit, sourceLocation: sourceLocation)
}

/// Checks the gradients of `f` with respect to each of `points` against central differences.
public func expectGradientsMatch(
    _ f: ([Tensor]) -> Tensor, at points: [Tensor], seed: UInt64 = 7,
    epsilon: Float = 1e-2, tolerance: Double = 1e-2, elementwiseLimit: Int = 24,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var generator = SeededGenerator(seed: seed)
    let output = withoutGradients { f(points) }
    let weights = Tensor.normal(output.shape, using: &generator)
    func loss(_ inputs: [Tensor]) -> Tensor { (f(inputs) * weights).sum() }
    func lossValue(_ inputs: [Tensor]) -> Double {
        withoutGradients {
            let values = f(inputs).scalars
            return zip(values, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
    }

    let gradients = valueWithGradients(of: loss, at: points).gradients
    for index in points.indices {
        let direction = Tensor.normal(points[index].shape, using: &generator)
        let analytic = zip(gradients[index].scalars, direction.scalars)
            .reduce(0) { $0 + Double($1.0) * Double($1.1) }
        var plus = points
        var minus = points
        plus[index] = points[index] + epsilon * direction
        minus[index] = points[index] - epsilon * direction
        let numeric = (lossValue(plus) - lossValue(minus)) / (2 * Double(epsilon))
        #expect(
            abs(analytic - numeric) <= tolerance * max(1, abs(numeric)),
            "input \(index): analytic \(analytic), finite-difference \(numeric)",
            sourceLocation: sourceLocation)

        guard points[index].count <= elementwiseLimit else { continue }
        let point = points[index]
        for element in 0..<point.count {
            var up = point.scalars
            var down = point.scalars
            up[element] += epsilon
            down[element] -= epsilon
            var upPoints = points
            var downPoints = points
            upPoints[index] = Tensor(shape: point.shape, scalars: up)
            downPoints[index] = Tensor(shape: point.shape, scalars: down)
            let numericElement =
                (lossValue(upPoints) - lossValue(downPoints)) / (2 * Double(epsilon))
            let analyticElement = Double(gradients[index].scalars[element])
            #expect(
                abs(analyticElement - numericElement) <= tolerance * max(1, abs(numericElement)),
                "input \(index) element \(element): analytic \(analyticElement), finite-difference \(numericElement)",
                sourceLocation: sourceLocation)
        }
    }
}
