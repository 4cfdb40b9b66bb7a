import SeqModels
import SeqNN

/// How the model is optimised: AdamW (or Adam) with linear warm-up then inverse-square-root
/// decay (or a constant rate, or a cosine down to 0 at `maxSteps`), label-smoothed cross-entropy, clipping, accumulation, and when
/// to stop.
public struct OptimizationConfig: Sendable {
    /// The update rule.
    public enum OptimizerKind: String, Decodable, Sendable, CaseIterable {
        /// `AdamW`: weight decay applied to the weights directly (decoupled).
        case adamw
        /// `Adam`: weight decay added to the gradient (L2), as `torch.optim.Adam`.
        case adam
    }

    /// The learning rate after the warm-up.
    public enum ScheduleKind: String, Decodable, Sendable, CaseIterable {
        /// `peak · √(warmupSteps / step)` (`InverseSquareRootSchedule`).
        case inverseSqrt
        /// `peak` at every step after the warm-up.
        case constant
        /// Half a cosine from `peak` after the warm-up down to 0 at `maxSteps`
        /// (`CosineSchedule`); needs `maxSteps`.
        case cosine
    }

    /// The update rule: `adamw` (default) or `adam`.
    public var optimizer = OptimizerKind.adamw
    /// The rate after the linear warm-up: `inverseSqrt` (default), `constant` or `cosine`.
    public var schedule = ScheduleKind.inverseSqrt
    /// Examples per batch for task training (`seq2seq task train`), which batches by
    /// examples; translation batches by `maxTokens` and `maxSentences` and rejects this key.
    public var batchSize: Int?
    /// Tokens per batch, padding included (source or target, whichever is longer).
    public var maxTokens = 4096
    /// Most sentence pairs per batch, or `nil` for no limit.
    public var maxSentences: Int?
    /// Peak learning rate, reached at the end of warm-up.
    public var learningRate: Float = 1e-3
    /// Steps of linear warm-up from 0 to the peak.
    public var warmupSteps = 1000
    /// AdamW β₁.
    public var beta1: Float = 0.9
    /// AdamW β₂.
    public var beta2: Float = 0.98
    /// AdamW ε.
    public var epsilon: Float = 1e-8
    /// AdamW decoupled weight decay.
    public var weightDecay: Float = 0.0001
    /// Label smoothing ε of the cross-entropy.
    public var labelSmoothing: Float = 0.1
    /// Clip the global gradient norm to this, or `nil` for no clipping.
    public var clipNorm: Float? = 1.0
    /// Batches whose gradients are summed before each update.
    public var accumulation = 1
    /// Stop after this many updates, or `nil`.
    public var maxSteps: Int?
    /// Stop after this many epochs, or `nil`.
    public var maxEpochs: Int?
    /// Stop after this many minutes of training, or `nil` (`--max-minutes` overrides it).
    public var maxMinutes: Double?
    /// Evaluate (validation loss and BLEU) and checkpoint every this many updates.
    public var evaluateEvery = 1000
    /// Stop when validation BLEU has not improved for this many evaluations, or `nil`.
    public var patience: Int?
    /// Average the weights of this many last evaluation checkpoints at the end (1 = none).
    public var averageLast = 1
    /// Plain progress lines every this many updates when standard error is not a terminal.
    public var logEvery = 100

    func validate() throws {
        func positive(_ value: Int?, _ key: String) throws {
            if let value, value <= 0 {
                throw ConfigError(key: "training.\(key)", detail: "must be positive, got \(value)")
            }
        }
        try positive(maxTokens, "maxTokens")
        try positive(batchSize, "batchSize")
        try positive(maxSentences, "maxSentences")
        try positive(accumulation, "accumulation")
        try positive(maxSteps, "maxSteps")
        try positive(maxEpochs, "maxEpochs")
        try positive(evaluateEvery, "evaluateEvery")
        try positive(patience, "patience")
        try positive(averageLast, "averageLast")
        try positive(logEvery, "logEvery")
        guard warmupSteps >= 1 else {
            throw ConfigError(key: "training.warmupSteps", detail: "must be at least 1")
        }
        guard learningRate > 0 else {
            throw ConfigError(key: "training.learningRate", detail: "must be positive")
        }
        guard labelSmoothing >= 0 && labelSmoothing < 1 else {
            throw ConfigError(key: "training.labelSmoothing", detail: "must be in [0, 1)")
        }
        if let maxMinutes, maxMinutes <= 0 {
            throw ConfigError(key: "training.maxMinutes", detail: "must be positive")
        }
        guard maxSteps != nil || maxEpochs != nil || maxMinutes != nil else {
            throw ConfigError(
                key: "training", detail: "set at least one of maxSteps, maxEpochs or maxMinutes")
        }
        if schedule == .cosine && (maxSteps ?? 0) <= warmupSteps {
            throw ConfigError(
                key: "training.schedule",
                detail: "cosine decays to 0 at training.maxSteps, which must exceed warmupSteps "
                    + "(\(warmupSteps))")
        }
    }
}

extension OptimizationConfig: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case maxTokens, maxSentences, learningRate, warmupSteps, beta1, beta2, epsilon
        case weightDecay, labelSmoothing, clipNorm, accumulation, maxSteps, maxEpochs
        case maxMinutes, evaluateEvery, patience, averageLast, logEvery, optimizer, schedule
        case batchSize
    }

    /// Decodes strictly: unknown keys are errors.
    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens) ?? maxTokens
        maxSentences = try c.decodeIfPresent(Int.self, forKey: .maxSentences)
        learningRate = try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? learningRate
        warmupSteps = try c.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? warmupSteps
        beta1 = try c.decodeIfPresent(Float.self, forKey: .beta1) ?? beta1
        beta2 = try c.decodeIfPresent(Float.self, forKey: .beta2) ?? beta2
        epsilon = try c.decodeIfPresent(Float.self, forKey: .epsilon) ?? epsilon
        weightDecay = try c.decodeIfPresent(Float.self, forKey: .weightDecay) ?? weightDecay
        labelSmoothing =
            try c.decodeIfPresent(Float.self, forKey: .labelSmoothing) ?? labelSmoothing
        clipNorm =
            c.contains(.clipNorm) ? try c.decodeIfPresent(Float.self, forKey: .clipNorm) : clipNorm
        accumulation = try c.decodeIfPresent(Int.self, forKey: .accumulation) ?? accumulation
        maxSteps = try c.decodeIfPresent(Int.self, forKey: .maxSteps)
        maxEpochs = try c.decodeIfPresent(Int.self, forKey: .maxEpochs)
        maxMinutes = try c.decodeIfPresent(Double.self, forKey: .maxMinutes)
        evaluateEvery = try c.decodeIfPresent(Int.self, forKey: .evaluateEvery) ?? evaluateEvery
        patience = try c.decodeIfPresent(Int.self, forKey: .patience)
        averageLast = try c.decodeIfPresent(Int.self, forKey: .averageLast) ?? averageLast
        logEvery = try c.decodeIfPresent(Int.self, forKey: .logEvery) ?? logEvery
        optimizer = try c.decodeIfPresent(OptimizerKind.self, forKey: .optimizer) ?? optimizer
        schedule = try c.decodeIfPresent(ScheduleKind.self, forKey: .schedule) ?? schedule
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize)
    }
}

extension OptimizationConfig {
    /// The optimizer these settings describe, over every parameter of `model`.
    public func makeOptimizer(for model: some Module) -> any Optimizer {
        switch optimizer {
        case .adamw:
            return AdamW(
                model, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                weightDecay: weightDecay)
        case .adam:
            return Adam(
                model, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                weightDecay: weightDecay)
        }
    }

    /// The learning-rate schedule these settings describe: linear warm-up over `warmupSteps`
    /// to `learningRate`, then `schedule`.
    public func makeSchedule() -> any LearningRateSchedule {
        switch schedule {
        case .inverseSqrt:
            return InverseSquareRootSchedule(peak: learningRate, warmupSteps: warmupSteps)
        case .constant:
            return WarmupConstantSchedule(peak: learningRate, warmupSteps: warmupSteps)
        case .cosine:
            return CosineSchedule(
                peak: learningRate, warmupSteps: warmupSteps, totalSteps: maxSteps ?? 0)
        }
    }
}

/// Linear warm-up from 0 to `peak` over `warmupSteps` updates, then `peak`.
private struct WarmupConstantSchedule: LearningRateSchedule {
    let peak: Float
    let warmupSteps: Int

    func learningRate(at step: Int) -> Float {
        step >= warmupSteps ? peak : peak * Float(max(0, step)) / Float(warmupSteps)
    }
}
