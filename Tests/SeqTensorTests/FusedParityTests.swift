import Foundation
import SeqTensor
import SeqTesting
import Testing

/// Parity of the fused ops with PyTorch.
///
/// Compares forward values and the gradients induced by a stored upstream gradient. Fixtures
/// come from `tools/fixtures/make_fused_ops.py` (float64 torch).
@Suite struct FusedParityTests {
    /// The gradients of `⟨f(inputs), upstream⟩` with respect to each input.
    private func gradients(
        of f: ([Tensor]) -> Tensor, at inputs: [Tensor], upstream: Tensor
    ) -> [Tensor] {
        valueWithGradients(of: { (f($0) * upstream).sum() }, at: inputs).gradients
    }

    @Test(arguments: [
        ("softmax_last", -1, false), ("softmax_axis1", 1, false),
        ("log_softmax_last", -1, true), ("log_softmax_axis0", 0, true),
    ])
    func softmaxMatchesPyTorch(name: String, axis: Int, logarithmic: Bool) throws {
        let fixture = try Fixture.load("fused_softmax", in: .module)
        func f(_ x: [Tensor]) -> Tensor {
            logarithmic ? x[0].logSoftmax(axis: axis) : x[0].softmax(axis: axis)
        }
        let input = fixture["input"]
        expectClose(f([input]), fixture[name], tolerance: fixture.tolerance)
        let inputGradient = gradients(of: f, at: [input], upstream: fixture["upstream"])[0]
        expectClose(inputGradient, fixture[name + "_input_gradient"], tolerance: fixture.tolerance)
    }

    @Test func layerNormMatchesPyTorch() throws {
        let fixture = try Fixture.load("fused_layer_norm", in: .module)
        func f(_ x: [Tensor]) -> Tensor { x[0].layerNormalized(weight: x[1], bias: x[2]) }
        let inputs = [fixture["input"], fixture["weight"], fixture["bias"]]
        expectClose(f(inputs), fixture["output"], tolerance: fixture.tolerance)
        let found = gradients(of: f, at: inputs, upstream: fixture["upstream"])
        for (index, name) in ["input_gradient", "weight_gradient", "bias_gradient"].enumerated() {
            expectClose(found[index], fixture[name], tolerance: fixture.tolerance)
        }
    }

    @Test func rmsNormMatchesPyTorch() throws {
        let fixture = try Fixture.load("fused_rms_norm", in: .module)
        func f(_ x: [Tensor]) -> Tensor { x[0].rmsNormalized(weight: x[1]) }
        let inputs = [fixture["input"], fixture["weight"]]
        expectClose(f(inputs), fixture["output"], tolerance: fixture.tolerance)
        let found = gradients(of: f, at: inputs, upstream: fixture["upstream"])
        expectClose(found[0], fixture["input_gradient"], tolerance: fixture.tolerance)
        expectClose(found[1], fixture["weight_gradient"], tolerance: fixture.tolerance)
    }

    @Test(arguments: [
        ("mean", Reduction.mean, Float(0.1)), ("sum", .sum, 0.1), ("none", .none, 0.1),
        ("plain_mean", .mean, 0),
    ])
    func crossEntropyMatchesPyTorch(name: String, reduction: Reduction, smoothing: Float) throws {
        let fixture = try Fixture.load("fused_cross_entropy", in: .module)
        let targets = fixture.ids("targets")
        func f(_ x: [Tensor]) -> Tensor {
            x[0].crossEntropy(
                targets: targets, ignoreIndex: -100, labelSmoothing: smoothing,
                reduction: reduction)
        }
        let logits = fixture["logits"]
        expectClose(f([logits]), fixture[name + "_loss"], tolerance: fixture.tolerance)
        let inputGradient = gradients(of: f, at: [logits], upstream: fixture[name + "_upstream"])[0]
        expectClose(inputGradient, fixture[name + "_input_gradient"], tolerance: fixture.tolerance)
    }
}
