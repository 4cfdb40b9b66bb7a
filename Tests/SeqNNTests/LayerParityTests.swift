import Foundation
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// Sets every parameter of `module` to the fixture tensor stored under its path.
func load(_ fixture: Fixture, into module: some Module) {
    for (path, parameter) in module.namedParameters() {
        let stored = fixture[path]
        precondition(
            stored.shape == parameter.shape,
            "\(fixture.name): `\(path)` is \(stored.shape), the module expects \(parameter.shape)")
        parameter.value = stored
    }
}

/// Runs `forward` at the fixture's inputs named `inputNames`, back-propagates
/// `outputGradient`, and compares the output, the input gradients (`gradient.<input>`) and
/// every parameter gradient (`gradient.<path>`) with the fixture.
func expectMatchesFixture(
    _ fixture: Fixture, module: some Module, inputNames: [String],
    sourceLocation: SourceLocation = #_sourceLocation, _ forward: ([Tensor]) -> Tensor
) {
    load(fixture, into: module)
    module.zeroGradients()
    let upstream = fixture["outputGradient"]
    let output = withoutGradients { forward(inputNames.map { fixture[$0] }) }
    expectClose(
        output, fixture["output"], tolerance: fixture.tolerance, sourceLocation: sourceLocation)
    let gradients = valueWithGradients(
        of: { (forward($0) * upstream).sum() }, at: inputNames.map { fixture[$0] }
    ).gradients
    for (name, gradient) in zip(inputNames, gradients) {
        expectClose(
            gradient, fixture["gradient.\(name)"], tolerance: fixture.tolerance,
            sourceLocation: sourceLocation)
    }
    for (path, parameter) in module.namedParameters() {
        expectClose(
            parameter.gradient ?? .zeros(parameter.shape), fixture["gradient.\(path)"],
            tolerance: fixture.tolerance, sourceLocation: sourceLocation)
    }
}

/// Layers against PyTorch (tools/fixtures/make_layers.py).
@Suite struct LayerParityTests {
    var rng = SeededGenerator(seed: 8)

    @Test mutating func linear() throws {
        let fixture = try Fixture.load("layer_linear", in: .module)
        let layer = Linear(inputSize: 8, outputSize: 6, using: &rng)
        expectMatchesFixture(fixture, module: layer, inputNames: ["input"]) { layer($0[0]) }
    }

    @Test func layerNorm() throws {
        let fixture = try Fixture.load("layer_layer_norm", in: .module)
        let layer = LayerNorm(size: 8, epsilon: 1e-5)
        expectMatchesFixture(fixture, module: layer, inputNames: ["input"]) { layer($0[0]) }
    }

    @Test func rmsNorm() throws {
        let fixture = try Fixture.load("layer_rms_norm", in: .module)
        let layer = RMSNorm(size: 8, epsilon: 1e-6)
        expectMatchesFixture(fixture, module: layer, inputNames: ["input"]) { layer($0[0]) }
    }

    @Test(arguments: [
        ("layer_feed_forward_gelu", FeedForward.Activation.gelu, true),
        ("layer_feed_forward_gelu_tanh", .geluTanh, true),
        ("layer_feed_forward_swiglu", .swiGLU, false),
    ])
    func feedForward(name: String, activation: FeedForward.Activation, bias: Bool) throws {
        let fixture = try Fixture.load(name, in: .module)
        var generator = SeededGenerator(seed: 8)
        let layer = FeedForward(
            modelSize: 8, feedForwardSize: 16, activation: activation, bias: bias,
            using: &generator)
        expectMatchesFixture(fixture, module: layer, inputNames: ["input"]) { layer($0[0]) }
    }

    @Test mutating func embedding() throws {
        let fixture = try Fixture.load("layer_embedding", in: .module)
        let layer = Embedding(vocabularySize: 7, modelSize: 4, using: &rng)
        let ids = fixture.ids("ids")
        expectMatchesFixture(fixture, module: layer, inputNames: []) { _ in
            layer(ids, shape: [2, 3])
        }
    }
}
