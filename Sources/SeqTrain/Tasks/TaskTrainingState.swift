/// Where a task run stands between two checkpoints.
///
/// Everything besides weights, optimizer state, step and generator that an exact resume
/// needs. Saved as `task-training-state.json` in `last/`.
struct TaskTrainingState: Codable, Sendable {
    /// The epoch being trained (its examples and order follow from the seed).
    var epoch = 0
    /// The position in the epoch's shuffled order of the next example.
    var index = 0
    /// Training examples seen so far (an example seen twice counts twice).
    var examplesSeen = 0
    /// The best selection value (`TaskScore.selectionValue(for:)`) so far, and at which step.
    var bestValue: Double?
    var bestStep: Int?
    /// Evaluations since the best one (early stopping).
    var evaluationsWithoutImprovement = 0
    /// Seconds of training before this run was resumed.
    var elapsedSeconds: Double = 0
    /// Whether the run has finished (a resumed finished run does nothing).
    var finished = false

    static let fileName = "task-training-state.json"
}
