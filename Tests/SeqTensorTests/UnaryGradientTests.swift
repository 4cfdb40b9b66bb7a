import Foundation
import SeqTensor
import SeqTesting
import Testing

/// Values with magnitudes in `0.3...1.5` and random signs: away from the kink of `abs` and
/// `relu` at 0.
func awayFromZero(_ shape: [Int], using generator: inout SeededGenerator) -> Tensor {
    let magnitudes = Tensor.uniform(shape, in: 0.3...1.5, using: &generator)
    let signs = Tensor.bernoulli(shape, probability: 0.5, using: &generator) * 2 - 1
    return magnitudes * signs
}

/// Finite-difference checks of every differentiable elementwise op.
@Suite struct UnaryGradientTests {
    var rng = SeededGenerator(seed: 11)

    @Test mutating func exp() {
        expectGradientsMatch({ $0.exp() }, at: .normal([3, 4], using: &rng))
    }

    @Test mutating func log() {
        expectGradientsMatch({ $0.log() }, at: .uniform([3, 4], in: 0.5...2, using: &rng))
    }

    @Test mutating func sqrt() {
        expectGradientsMatch({ $0.sqrt() }, at: .uniform([3, 4], in: 0.5...2, using: &rng))
    }

    @Test mutating func rsqrt() {
        expectGradientsMatch({ $0.rsqrt() }, at: .uniform([3, 4], in: 0.5...2, using: &rng))
    }

    @Test mutating func square() {
        expectGradientsMatch({ $0.square() }, at: .normal([3, 4], using: &rng))
    }

    @Test mutating func powScalarExponent() {
        expectGradientsMatch({ $0.pow(2.5) }, at: .uniform([3, 4], in: 0.5...2, using: &rng))
        expectGradientsMatch({ $0.pow(-1.5) }, at: .uniform([3, 4], in: 0.5...2, using: &rng))
        expectGradientsMatch({ $0.pow(3) }, at: .normal([3, 4], using: &rng))
        expectGradientsMatch({ $0.pow(2) }, at: .normal([3, 4], using: &rng))
    }

    @Test mutating func powTensorExponentBroadcasts() {
        expectGradientsMatch(
            { $0[0].pow($0[1]) },
            at: [.uniform([3, 4], in: 0.5...2, using: &rng), .normal([4], using: &rng)])
        expectGradientsMatch(
            { $0[0].pow($0[1]) },
            at: [.uniform([4], in: 0.5...2, using: &rng), .normal([2, 1, 4], using: &rng)])
    }

    @Test mutating func abs() {
        expectGradientsMatch({ $0.abs() }, at: awayFromZero([3, 4], using: &rng))
    }

    @Test mutating func tanh() {
        expectGradientsMatch({ $0.tanh() }, at: .normal([3, 4], standardDeviation: 2, using: &rng))
    }

    @Test mutating func sigmoid() {
        expectGradientsMatch(
            { $0.sigmoid() }, at: .normal([3, 4], standardDeviation: 2, using: &rng))
    }

    @Test mutating func relu() {
        expectGradientsMatch({ $0.relu() }, at: awayFromZero([3, 4], using: &rng))
    }

    @Test mutating func geluExact() {
        expectGradientsMatch({ $0.gelu() }, at: .normal([3, 4], standardDeviation: 2, using: &rng))
    }

    @Test mutating func geluTanh() {
        expectGradientsMatch(
            { $0.gelu(approximation: .tanh) },
            at: .normal([3, 4], standardDeviation: 2, using: &rng))
    }

    @Test mutating func silu() {
        expectGradientsMatch({ $0.silu() }, at: .normal([3, 4], standardDeviation: 2, using: &rng))
    }

    @Test func clamped() {
        // At least 0.1 from either bound, so the finite differences never cross one.
        let x = Tensor(
            shape: [3, 4],
            scalars: [-1.2, -0.8, -0.3, 0.1, 0.35, 0.9, 1.1, -0.05, 0.2, -0.65, 0.55, -0.2])
        expectGradientsMatch({ $0.clamped(min: -0.5, max: 0.7) }, at: x)
        expectGradientsMatch({ $0.clamped(min: 0) }, at: x)
        expectGradientsMatch({ $0.clamped(max: 0) }, at: x)
    }
}

/// Values and gradients of the elementwise ops against PyTorch (tools/fixtures/make_unary_ops.py).
@Suite struct UnaryParityTests {
    private static let cases: [(name: String, input: String, op: @Sendable (Tensor) -> Tensor)] = [
        ("exp", "real", { $0.exp() }), ("log", "positive", { $0.log() }),
        ("sqrt", "positive", { $0.sqrt() }), ("rsqrt", "positive", { $0.rsqrt() }),
        ("square", "real", { $0.square() }), ("pow2_5", "positive", { $0.pow(2.5) }),
        ("abs", "real", { $0.abs() }), ("tanh", "real", { $0.tanh() }),
        ("sigmoid", "real", { $0.sigmoid() }), ("relu", "real", { $0.relu() }),
        ("gelu", "real", { $0.gelu() }), ("gelu_tanh", "real", { $0.gelu(approximation: .tanh) }),
        ("silu", "real", { $0.silu() }), ("clamp", "real", { $0.clamped(min: -0.5, max: 0.7) }),
    ]

    @Test func matchesPyTorch() throws {
        let fixture = try Fixture.load("unary_ops", in: .module)
        for (name, input, op) in Self.cases {
            expectFixtureCase(fixture, name: name, input: input, op)
        }
    }
}

/// Compares `op` at the fixture's `input` with `name.output`, and the gradient of
/// `⟨op(x), cos(arange)⟩` with `name.gradient`.
func expectFixtureCase(
    _ fixture: Fixture, name: String, input: String, _ op: (Tensor) -> Tensor,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let x = fixture[input]
    let output = withoutGradients { op(x) }
    let weights = Tensor(
        shape: output.shape, scalars: (0..<output.count).map { Float(cos(Double($0))) })
    expectClose(
        output, fixture["\(name).output"], tolerance: fixture.tolerance,
        sourceLocation: sourceLocation)
    let actualGradient = gradient(of: { (op($0) * weights).sum() }, at: x)
    expectClose(
        actualGradient, fixture["\(name).gradient"], tolerance: fixture.tolerance,
        sourceLocation: sourceLocation)
}
