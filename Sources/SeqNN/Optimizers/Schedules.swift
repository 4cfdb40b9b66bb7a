import Foundation

/// A learning rate as a function of the update number.
///
/// `step` counts updates from 1: a trainer sets `optimizer.learningRate =
/// schedule.learningRate(at: updatesDone + 1)` before each `optimizer.step()`. Step 0, before
/// any update, gives the warm-up's starting rate of 0.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for update number `step`.
    func learningRate(at step: Int) -> Float
}

/// The same learning rate at every step.
public struct ConstantSchedule: LearningRateSchedule, Codable, Equatable {
    /// The learning rate.
    public var value: Float

    /// Creates a schedule that always returns `value`.
    public init(_ value: Float) { self.value = value }

    /// `value`, whatever the step.
    public func learningRate(at step: Int) -> Float { value }
}

/// Linear warm-up to `peak`, then decay proportional to `1/√step`: fairseq's `inverse_sqrt`
/// with `warmup_init_lr` 0, as in "Attention Is All You Need".
///
/// `lr(step) = peak · step / warmupSteps` while `step < warmupSteps`, then
/// `peak · √(warmupSteps / step)`, which is continuous at `warmupSteps`.
public struct InverseSquareRootSchedule: LearningRateSchedule, Codable, Equatable {
    /// The rate reached at the end of the warm-up.
    public var peak: Float
    /// Updates of linear warm-up, at least 1.
    public var warmupSteps: Int

    /// Creates the schedule; `warmupSteps` must be at least 1.
    public init(peak: Float, warmupSteps: Int) {
        precondition(
            warmupSteps >= 1,
            "InverseSquareRootSchedule: warmupSteps must be ≥ 1, got \(warmupSteps)")
        self.peak = peak
        self.warmupSteps = warmupSteps
    }

    /// Decodes `{"peak": …, "warmupSteps": …}`; throws if `warmupSteps` is below 1.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let warmupSteps = try container.decode(Int.self, forKey: .warmupSteps)
        guard warmupSteps >= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .warmupSteps, in: container,
                debugDescription: "warmupSteps must be at least 1, got \(warmupSteps)")
        }
        self.init(peak: try container.decode(Float.self, forKey: .peak), warmupSteps: warmupSteps)
    }

    /// The warm-up ramp, then `peak · √(warmupSteps / step)`.
    public func learningRate(at step: Int) -> Float {
        let step = Double(max(0, step))
        let warmup = Double(warmupSteps)
        let rate = step < warmup ? step / warmup : (warmup / step).squareRoot()
        return Float(Double(peak) * rate)
    }
}

/// Linear warm-up to `peak`, then half a cosine down to `minimum` at `totalSteps`, and
/// `minimum` after that (SGDR without restarts; Hugging Face's cosine schedule with a floor).
///
/// After the warm-up, with `progress = (step − warmupSteps) / (totalSteps − warmupSteps)`:
/// `lr = minimum + (peak − minimum) · (1 + cos(π · progress)) / 2`.
public struct CosineSchedule: LearningRateSchedule, Codable, Equatable {
    /// The rate reached at the end of the warm-up.
    public var peak: Float
    /// Updates of linear warm-up from 0, possibly 0.
    public var warmupSteps: Int
    /// The update at which the rate reaches `minimum`; greater than `warmupSteps`.
    public var totalSteps: Int
    /// The final rate.
    public var minimum: Float

    /// Creates the schedule; needs `0 ≤ warmupSteps < totalSteps`.
    public init(peak: Float, warmupSteps: Int = 0, totalSteps: Int, minimum: Float = 0) {
        precondition(
            warmupSteps >= 0 && totalSteps > warmupSteps,
            "CosineSchedule: needs 0 ≤ warmupSteps < totalSteps, got \(warmupSteps), \(totalSteps)")
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.minimum = minimum
    }

    /// Decodes the four fields (`warmupSteps` and `minimum` default to 0); throws unless
    /// `0 ≤ warmupSteps < totalSteps`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let warmupSteps = try container.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? 0
        let totalSteps = try container.decode(Int.self, forKey: .totalSteps)
        guard warmupSteps >= 0 && totalSteps > warmupSteps else {
            throw DecodingError.dataCorruptedError(
                forKey: .totalSteps, in: container,
                debugDescription:
                    "needs 0 ≤ warmupSteps < totalSteps, got \(warmupSteps), \(totalSteps)")
        }
        self.init(
            peak: try container.decode(Float.self, forKey: .peak), warmupSteps: warmupSteps,
            totalSteps: totalSteps,
            minimum: try container.decodeIfPresent(Float.self, forKey: .minimum) ?? 0)
    }

    /// The warm-up ramp, the cosine, then `minimum`.
    public func learningRate(at step: Int) -> Float {
        let step = Double(max(0, step))
        if step < Double(warmupSteps) { return Float(Double(peak) * step / Double(warmupSteps)) }
        let progress = min(
            1, (step - Double(warmupSteps)) / Double(totalSteps - warmupSteps))
        let cosine = (1 + cos(Double.pi * progress)) / 2
        return Float(Double(minimum) + (Double(peak) - Double(minimum)) * cosine)
    }
}

/// A schedule chosen by name in a training config: `{"kind": "inverse_sqrt", "peak": 5e-4,
/// "warmupSteps": 4000}`, `{"kind": "cosine", …}` or `{"kind": "constant", "value": 1e-3}`.
public enum LearningRateScheduleConfig: Codable, Equatable, Sendable {
    /// `ConstantSchedule`.
    case constant(ConstantSchedule)
    /// `InverseSquareRootSchedule`.
    case inverseSquareRoot(InverseSquareRootSchedule)
    /// `CosineSchedule`.
    case cosine(CosineSchedule)

    private enum CodingKeys: String, CodingKey { case kind }
    private enum Kind: String, Codable {
        case constant
        case inverseSquareRoot = "inverse_sqrt"
        case cosine
    }

    /// The schedule this config describes.
    public var schedule: any LearningRateSchedule {
        switch self {
        case .constant(let schedule): return schedule
        case .inverseSquareRoot(let schedule): return schedule
        case .cosine(let schedule): return schedule
        }
    }

    /// Reads `kind`, then the fields of that schedule from the same object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .constant: self = .constant(try ConstantSchedule(from: decoder))
        case .inverseSquareRoot:
            self = .inverseSquareRoot(try InverseSquareRootSchedule(from: decoder))
        case .cosine: self = .cosine(try CosineSchedule(from: decoder))
        }
    }

    /// Writes `kind` and the schedule's fields into one object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .constant(let schedule):
            try container.encode(Kind.constant, forKey: .kind)
            try schedule.encode(to: encoder)
        case .inverseSquareRoot(let schedule):
            try container.encode(Kind.inverseSquareRoot, forKey: .kind)
            try schedule.encode(to: encoder)
        case .cosine(let schedule):
            try container.encode(Kind.cosine, forKey: .kind)
            try schedule.encode(to: encoder)
        }
    }
}
