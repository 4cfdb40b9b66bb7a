import SeqNN
import SeqTensor
import Testing

/// Checks the gradients `backward()` leaves in every parameter of `module` against central
/// differences along one random direction per parameter.
///
/// The loss is `⟨f(), w⟩` with fixed random `w`; `f` must be deterministic (dropout off).
public func expectParameterGradientsMatch(
    of module: some Module, seed: UInt64 = 11, epsilon: Float = 1e-2, tolerance: Double = 1e-2,
    sourceLocation: SourceLocation = #_sourceLocation, _ f: () -> Tensor
) {
    var generator = SeededGenerator(seed: seed)
    let weights = withoutGradients { Tensor.normal(f().shape, using: &generator) }
    func lossValue() -> Double {
        withoutGradients {
            zip(f().scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
    }
    module.zeroGradients()
    (f() * weights).sum().backward()
    for (path, parameter) in module.namedParameters() {
        let original = withoutGradients { parameter.value }
        let direction = Tensor.normal(parameter.shape, using: &generator)
        let gradient = parameter.gradient ?? .zeros(parameter.shape)
        let analytic = zip(gradient.scalars, direction.scalars)
            .reduce(0) { $0 + Double($1.0) * Double($1.1) }
        parameter.value = original + epsilon * direction
        let plus = lossValue()
        parameter.value = original - epsilon * direction
        let minus = lossValue()
        parameter.value = original
        let numeric = (plus - minus) / (2 * Double(epsilon))
        #expect(
            abs(analytic - numeric) <= tolerance * max(1, abs(numeric)),
            "\(path): analytic \(analytic), finite-difference \(numeric)",
            sourceLocation: sourceLocation)
    }
    module.zeroGradients()
}
