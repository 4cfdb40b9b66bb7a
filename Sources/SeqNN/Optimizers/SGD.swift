import SeqKernels
import SeqTensor

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
/// with the semantics of `torch.optim.SGD`.
///
/// For each parameter `p` with gradient `g`: `d = g + weightDecay·p`; with momentum the buffer
/// is `b = d` on the first step and `b = momentum·b + (1 − dampening)·d` afterwards, and the
/// direction becomes `d + momentum·b` (Nesterov) or `b`; then `p ← p − learningRate·d`.
///
/// State: `"<path>.momentum_buffer"` per parameter, only when `momentum` is not 0.
public final class SGD: Optimizer {
    /// Step size of the next `step()`.
    public var learningRate: Float
    /// Weight of the previous direction in the momentum buffer; `0` turns momentum off.
    public let momentum: Float
    /// Fraction of the new direction held back from the momentum buffer.
    public let dampening: Float
    /// Whether to look ahead along the momentum buffer (Nesterov momentum, Sutskever 2013).
    public let nesterov: Bool
    /// L2 coefficient added to the gradient.
    public let weightDecay: Float

    private let optimized: OptimizedParameters
    private var momentumBuffers: [Tensor?]

    /// Creates the optimizer over named parameters, such as `module.namedParameters()`.
    ///
    /// - Parameters:
    ///   - parameters: Parameters and the unique paths that name their state.
    ///   - learningRate: Step size, at least 0.
    ///   - momentum: Momentum factor, at least 0.
    ///   - dampening: Dampening of momentum; Nesterov needs 0.
    ///   - nesterov: Nesterov momentum; needs a positive `momentum`.
    ///   - weightDecay: L2 penalty coefficient, at least 0.
    public init(
        parameters: [(path: String, parameter: Parameter)], learningRate: Float,
        momentum: Float = 0, dampening: Float = 0, nesterov: Bool = false, weightDecay: Float = 0
    ) {
        precondition(learningRate >= 0, "SGD: learning rate \(learningRate) is negative")
        precondition(momentum >= 0, "SGD: momentum \(momentum) is negative")
        precondition(weightDecay >= 0, "SGD: weight decay \(weightDecay) is negative")
        precondition(
            !nesterov || (momentum > 0 && dampening == 0),
            "SGD: Nesterov momentum needs momentum > 0 and dampening 0, got \(momentum), \(dampening)"
        )
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        optimized = OptimizedParameters(parameters, owner: "SGD")
        momentumBuffers = Array(repeating: nil, count: parameters.count)
    }

    /// Creates the optimizer over unnamed parameters; their state is named `"0"`, `"1"`, ….
    public convenience init(
        parameters: [Parameter], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
        nesterov: Bool = false, weightDecay: Float = 0
    ) {
        self.init(
            parameters: OptimizedParameters.numbered(parameters), learningRate: learningRate,
            momentum: momentum, dampening: dampening, nesterov: nesterov, weightDecay: weightDecay)
    }

    /// Creates the optimizer over every parameter of `module`, frozen ones included (they are
    /// skipped while frozen).
    public convenience init(
        _ module: some Module, learningRate: Float, momentum: Float = 0, dampening: Float = 0,
        nesterov: Bool = false, weightDecay: Float = 0
    ) {
        self.init(
            parameters: module.namedParameters(), learningRate: learningRate,
            momentum: momentum, dampening: dampening, nesterov: nesterov, weightDecay: weightDecay)
    }

    /// The parameters this optimizer updates, with their paths.
    public var parameters: [(path: String, parameter: Parameter)] { optimized.entries }

    /// Applies one update to every trainable parameter that has a gradient.
    public func step() {
        for index in optimized.entries.indices {
            guard let gradient = optimized.gradient(at: index) else { continue }
            let parameter = optimized.entries[index].parameter
            var settings = SGDSettings(
                learningRate: learningRate, momentum: momentum, dampening: dampening,
                nesterov: nesterov, weightDecay: weightDecay, isFirstStep: false)
            guard momentum != 0 else {
                parameter.updateInPlace { p in
                    gradient.withUnsafeBufferPointer { g in
                        sgdUpdate(
                            p.tensorBase, gradients: g.tensorBase, momentumBuffer: nil,
                            count: p.count, settings: settings)
                    }
                }
                continue
            }
            settings.isFirstStep = momentumBuffers[index] == nil
            // Taken out of the array so the buffer is uniquely referenced and updated in place.
            var buffer = momentumBuffers[index] ?? Tensor.zeros(parameter.shape)
            momentumBuffers[index] = nil
            parameter.updateInPlace { p in
                buffer.withUnsafeMutableBufferPointer { b in
                    gradient.withUnsafeBufferPointer { g in
                        sgdUpdate(
                            p.tensorBase, gradients: g.tensorBase, momentumBuffer: b.tensorBase,
                            count: p.count, settings: settings)
                    }
                }
            }
            momentumBuffers[index] = buffer
        }
    }

    /// `"<path>.momentum_buffer"` for every parameter updated so far with momentum.
    public var state: [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (index, buffer) in momentumBuffers.enumerated() {
            if let buffer { state["\(optimized.entries[index].path).momentum_buffer"] = buffer }
        }
        return state
    }

    /// Replaces the momentum buffers with those in `state`; all or nothing.
    public func loadState(_ state: [String: Tensor], from file: String) throws {
        let fields: Set<String> = momentum != 0 ? ["momentum_buffer"] : []
        var loaded = [Tensor?](repeating: nil, count: optimized.entries.count)
        for (index, stored) in try optimized.groupedState(state, fields: fields, file: file) {
            loaded[index] = try optimized.buffer(
                "momentum_buffer", of: index, in: stored, file: file)
        }
        momentumBuffers = loaded
    }
}
