import Foundation

/// The stopping rules every training loop shares: an interrupt, a step limit and a time budget
/// counted across resumed runs.
///
/// ```swift
/// let budget = TrainingBudget(maxSteps: 1000, maxMinutes: 45, previouslyElapsed: 0)
/// while budget.stopReason(step: step, interrupt: interrupt) == nil { … }
/// ```
struct TrainingBudget {
    /// The most updates, or `nil`.
    let maxSteps: Int?
    /// The most seconds of training, this run and the runs it resumes together, or `nil`.
    let seconds: Double?
    private let started = Date()
    private let previouslyElapsed: Double

    /// The reason `stopReason` gives for an interrupt.
    static let interrupted = "interrupted"

    /// Starts the clock now; `previouslyElapsed` seconds were spent by the runs this one
    /// resumes.
    init(maxSteps: Int?, maxMinutes: Double?, previouslyElapsed: Double) {
        self.maxSteps = maxSteps
        self.seconds = maxMinutes.map { $0 * 60 }
        self.previouslyElapsed = previouslyElapsed
    }

    /// Seconds of training in this run and the runs it resumes.
    func elapsed() -> Double { previouslyElapsed + Date().timeIntervalSince(started) }

    /// Seconds left in the time budget, or `nil` without one.
    func secondsLeft() -> Double? { seconds.map { $0 - elapsed() } }

    /// Why training must stop before the next update, or `nil` to go on: an interrupt
    /// (`interrupted`), `maxSteps` reached, or the time budget spent.
    func stopReason(step: Int, interrupt: InterruptSignal?) -> String? {
        if interrupt?.isRaised == true { return Self.interrupted }
        if let maxSteps, step >= maxSteps { return "reached maxSteps" }
        if let seconds, elapsed() >= seconds { return "reached the time budget" }
        return nil
    }
}
