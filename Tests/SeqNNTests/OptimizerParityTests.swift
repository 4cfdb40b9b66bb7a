import Foundation
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// Three steps of each optimizer against PyTorch (fixtures from tools/fixtures/make_adamw.py):
/// parameters after every step and the optimizer state after the last.
@Suite struct OptimizerParityTests {
    /// Feeds the fixture's gradients to `makeOptimizer`'s optimizer over parameters `a` and `b`
    /// and compares values after each step and `stateKeys` after step 3.
    private func expectParity(
        with name: String, stateKeys: [String],
        makeOptimizer: ([(path: String, parameter: Parameter)]) -> any Optimizer
    ) throws {
        let fixture = try Fixture.load(name, in: .module)
        let parameters = ["a", "b"].map {
            (path: $0, parameter: Parameter(fixture["\($0).initial"]))
        }
        let optimizer = makeOptimizer(parameters)
        for step in 1...3 {
            for (path, parameter) in parameters {
                parameter.gradient = fixture["\(path).grad\(step)"]
            }
            optimizer.step()
            for (path, parameter) in parameters {
                expectClose(
                    parameter.value, fixture["\(path).step\(step)"], tolerance: fixture.tolerance)
            }
        }
        let state = optimizer.state
        for path in ["a", "b"] {
            for key in stateKeys {
                let stored = try #require(state["\(path).\(key)"], "no state `\(path).\(key)`")
                expectClose(stored, fixture["\(path).\(key)"], tolerance: fixture.tolerance)
            }
        }
    }

    @Test func adamWMatchesPyTorch() throws {
        try expectParity(with: "adamw", stateKeys: ["exp_avg", "exp_avg_sq"]) {
            AdamW(
                parameters: $0, learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
                weightDecay: 0.01)
        }
    }

    @Test func adamMatchesPyTorch() throws {
        try expectParity(with: "adam", stateKeys: ["exp_avg", "exp_avg_sq"]) {
            Adam(
                parameters: $0, learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
                weightDecay: 0.01)
        }
    }

    @Test func nesterovSGDMatchesPyTorch() throws {
        try expectParity(with: "sgd_nesterov", stateKeys: ["momentum_buffer"]) {
            SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01)
        }
    }

    @Test func dampenedMomentumSGDMatchesPyTorch() throws {
        try expectParity(with: "sgd_momentum", stateKeys: ["momentum_buffer"]) {
            SGD(
                parameters: $0, learningRate: 0.1, momentum: 0.9, dampening: 0.1,
                weightDecay: 0.01)
        }
    }

    @Test func adamWStepCountsMatchPyTorch() throws {
        let fixture = try Fixture.load("adamw", in: .module)
        let parameter = Parameter(fixture["a.initial"])
        let optimizer = AdamW(parameters: [(path: "a", parameter: parameter)], learningRate: 1e-2)
        for step in 1...3 {
            parameter.gradient = fixture["a.grad\(step)"]
            optimizer.step()
        }
        #expect(optimizer.state["a.step"]?.scalar == 3)
    }
}
