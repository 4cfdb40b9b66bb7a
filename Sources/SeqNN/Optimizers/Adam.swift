import SeqKernels
import SeqTensor

/// Adam (Kingma & Ba 2015) with L2 weight decay added to the gradient, as `torch.optim.Adam`.
///
/// For each parameter `p` with gradient `g` at its step `t` (counted from 1):
/// `g ← g + weightDecay·p`; `m ← β₁m + (1 − β₁)g`; `v ← β₂v + (1 − β₂)g²`;
/// `p ← p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)`.
///
/// State per parameter: `"<path>.exp_avg"` (`m`), `"<path>.exp_avg_sq"` (`v`) and
/// `"<path>.step"` (`t`), PyTorch's names. For weight decay that does not pass through the
/// moments, use `AdamW`.
public final class Adam: Optimizer {
    /// Step size of the next `step()`.
    public var learningRate: Float
    /// Decay rate `β₁` of the first moment.
    public let beta1: Float
    /// Decay rate `β₂` of the second moment.
    public let beta2: Float
    /// Term `ε` added to the denominator for stability.
    public let epsilon: Float
    /// L2 coefficient added to the gradient.
    public let weightDecay: Float

    private var core: AdamCore

    /// Creates the optimizer over named parameters, such as `module.namedParameters()`.
    ///
    /// - Parameters:
    ///   - parameters: Parameters and the unique paths that name their state.
    ///   - learningRate: Step size, at least 0.
    ///   - beta1: First-moment decay, in `[0, 1)`.
    ///   - beta2: Second-moment decay, in `[0, 1)`.
    ///   - epsilon: Denominator term, at least 0.
    ///   - weightDecay: L2 penalty coefficient, at least 0.
    public init(
        parameters: [(path: String, parameter: Parameter)], learningRate: Float = 1e-3,
        beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0
    ) {
        checkAdamSettings("Adam", learningRate, beta1, beta2, epsilon, weightDecay)
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        core = AdamCore(OptimizedParameters(parameters, owner: "Adam"))
    }

    /// Creates the optimizer over unnamed parameters; their state is named `"0.exp_avg"`, ….
    public convenience init(
        parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9,
        beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0
    ) {
        self.init(
            parameters: OptimizedParameters.numbered(parameters), learningRate: learningRate,
            beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    /// Creates the optimizer over every parameter of `module`, frozen ones included.
    public convenience init(
        _ module: some Module, learningRate: Float = 1e-3, beta1: Float = 0.9,
        beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0
    ) {
        self.init(
            parameters: module.namedParameters(), learningRate: learningRate, beta1: beta1,
            beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    /// The parameters this optimizer updates, with their paths.
    public var parameters: [(path: String, parameter: Parameter)] { core.optimized.entries }

    /// Applies one update to every trainable parameter that has a gradient.
    public func step() {
        core.step { step in
            AdamSettings(
                learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                weightDecay: weightDecay, decoupled: false, step: step)
        }
    }

    /// `exp_avg`, `exp_avg_sq` and `step` of every parameter updated so far.
    public var state: [String: Tensor] { core.state }

    /// Replaces the moments and step counts with those in `state`; all or nothing.
    public func loadState(_ state: [String: Tensor], from file: String) throws {
        try core.loadState(state, from: file)
    }
}

/// Adam with decoupled weight decay (Loshchilov & Hutter 2019), as `torch.optim.AdamW`.
///
/// Each step first shrinks the parameter, `p ← p·(1 − lr·weightDecay)`, then applies the Adam
/// update of the raw gradient (see `Adam`). State names are `Adam`'s.
public final class AdamW: Optimizer {
    /// Step size of the next `step()`.
    public var learningRate: Float
    /// Decay rate `β₁` of the first moment.
    public let beta1: Float
    /// Decay rate `β₂` of the second moment.
    public let beta2: Float
    /// Term `ε` added to the denominator for stability.
    public let epsilon: Float
    /// Decoupled weight-decay coefficient; the parameter shrinks by `lr·weightDecay` each step.
    public let weightDecay: Float

    private var core: AdamCore

    /// Creates the optimizer over named parameters, such as `module.namedParameters()`.
    ///
    /// - Parameters:
    ///   - parameters: Parameters and the unique paths that name their state.
    ///   - learningRate: Step size, at least 0.
    ///   - beta1: First-moment decay, in `[0, 1)`.
    ///   - beta2: Second-moment decay, in `[0, 1)`.
    ///   - epsilon: Denominator term, at least 0.
    ///   - weightDecay: Decoupled decay coefficient, at least 0; PyTorch's default 0.01.
    public init(
        parameters: [(path: String, parameter: Parameter)], learningRate: Float = 1e-3,
        beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
        weightDecay: Float = 0.01
    ) {
        checkAdamSettings("AdamW", learningRate, beta1, beta2, epsilon, weightDecay)
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        core = AdamCore(OptimizedParameters(parameters, owner: "AdamW"))
    }

    /// Creates the optimizer over unnamed parameters; their state is named `"0.exp_avg"`, ….
    public convenience init(
        parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9,
        beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01
    ) {
        self.init(
            parameters: OptimizedParameters.numbered(parameters), learningRate: learningRate,
            beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    /// Creates the optimizer over every parameter of `module`, frozen ones included.
    public convenience init(
        _ module: some Module, learningRate: Float = 1e-3, beta1: Float = 0.9,
        beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01
    ) {
        self.init(
            parameters: module.namedParameters(), learningRate: learningRate, beta1: beta1,
            beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    /// The parameters this optimizer updates, with their paths.
    public var parameters: [(path: String, parameter: Parameter)] { core.optimized.entries }

    /// Applies one update to every trainable parameter that has a gradient.
    public func step() {
        core.step { step in
            AdamSettings(
                learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                weightDecay: weightDecay, decoupled: true, step: step)
        }
    }

    /// `exp_avg`, `exp_avg_sq` and `step` of every parameter updated so far.
    public var state: [String: Tensor] { core.state }

    /// Replaces the moments and step counts with those in `state`; all or nothing.
    public func loadState(_ state: [String: Tensor], from file: String) throws {
        try core.loadState(state, from: file)
    }
}

private func checkAdamSettings(
    _ owner: String, _ learningRate: Float, _ beta1: Float, _ beta2: Float, _ epsilon: Float,
    _ weightDecay: Float
) {
    precondition(learningRate >= 0, "\(owner): learning rate \(learningRate) is negative")
    precondition(
        (0..<1).contains(beta1) && (0..<1).contains(beta2),
        "\(owner): betas must lie in [0, 1), got (\(beta1), \(beta2))")
    precondition(epsilon >= 0, "\(owner): epsilon \(epsilon) is negative")
    precondition(weightDecay >= 0, "\(owner): weight decay \(weightDecay) is negative")
}

/// The moments and step count of one parameter.
private struct AdamMoments {
    var expAvg: Tensor
    var expAvgSq: Tensor
    var step: Int
}

/// What `Adam` and `AdamW` share: per-parameter moments, the update loop and the state I/O.
private struct AdamCore {
    let optimized: OptimizedParameters
    var moments: [AdamMoments?]

    init(_ optimized: OptimizedParameters) {
        self.optimized = optimized
        moments = Array(repeating: nil, count: optimized.entries.count)
    }

    mutating func step(settings: (_ step: Int) -> AdamSettings) {
        for index in optimized.entries.indices {
            guard let gradient = optimized.gradient(at: index) else { continue }
            let parameter = optimized.entries[index].parameter
            // Taken out of the array so the buffers are uniquely referenced and updated in place.
            var slot =
                moments[index]
                ?? AdamMoments(
                    expAvg: .zeros(parameter.shape), expAvgSq: .zeros(parameter.shape), step: 0)
            moments[index] = nil
            slot.step += 1
            let stepSettings = settings(slot.step)
            parameter.updateInPlace { p in
                slot.expAvg.withUnsafeMutableBufferPointer { m in
                    slot.expAvgSq.withUnsafeMutableBufferPointer { v in
                        gradient.withUnsafeBufferPointer { g in
                            adamUpdate(
                                p.tensorBase, gradients: g.tensorBase, firstMoments: m.tensorBase,
                                secondMoments: v.tensorBase, count: p.count,
                                settings: stepSettings)
                        }
                    }
                }
            }
            moments[index] = slot
        }
    }

    var state: [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (index, slot) in moments.enumerated() {
            guard let slot else { continue }
            let path = optimized.entries[index].path
            state["\(path).exp_avg"] = slot.expAvg
            state["\(path).exp_avg_sq"] = slot.expAvgSq
            state["\(path).step"] = Tensor(Float(slot.step))
        }
        return state
    }

    mutating func loadState(_ state: [String: Tensor], from file: String) throws {
        var loaded = [AdamMoments?](repeating: nil, count: optimized.entries.count)
        let grouped = try optimized.groupedState(
            state, fields: ["exp_avg", "exp_avg_sq", "step"], file: file)
        for (index, stored) in grouped {
            loaded[index] = AdamMoments(
                expAvg: try optimized.buffer("exp_avg", of: index, in: stored, file: file),
                expAvgSq: try optimized.buffer("exp_avg_sq", of: index, in: stored, file: file),
                step: try optimized.stepCount(of: index, in: stored, file: file))
        }
        moments = loaded
    }
}
