/// Where a run stands between two checkpoints.
///
/// Everything besides weights, optimizer state and the step that an exact resume needs. Saved as `training-state.json` in `last/`.
struct TrainingState: Codable, Sendable {
    /// The next batch to train on.
    var position: BatchPositionState = .init(epoch: 0, index: 0)
    /// The best validation BLEU so far, and at which step.
    var bestBLEU: Double?
    var bestStep: Int?
    /// Evaluations since the best one (early stopping).
    var evaluationsWithoutImprovement = 0
    /// Seconds of training before this run was resumed.
    var elapsedSeconds: Double = 0
    /// States of the model's dropout generators.
    var dropoutStates: [UInt64] = []
    /// Steps of the evaluation checkpoints kept for averaging, oldest first.
    var keptSteps: [Int] = []
    /// Whether the run has finished (a resumed finished run does nothing).
    var finished = false

    struct BatchPositionState: Codable, Sendable {
        var epoch: Int
        var index: Int
    }

    static let fileName = "training-state.json"
}
