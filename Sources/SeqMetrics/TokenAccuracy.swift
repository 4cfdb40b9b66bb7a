/// Token accuracy: the share of positions where a predicted sequence has the target token.
public enum TokenAccuracy {
    /// Position-wise accuracy, in 0…1, summed over sequence pairs.
    ///
    /// Each pair contributes `max(prediction.count, target.count)` positions, so missing and
    /// extra tokens count as wrong; positions are compared up to the shorter length.
    /// Returns 0 when there are no positions.
    ///
    /// - Precondition: both arrays have the same count.
    public static func rate<Token: Equatable>(predictions: [[Token]], targets: [[Token]]) -> Double
    {
        precondition(
            predictions.count == targets.count,
            "TokenAccuracy: \(predictions.count) predictions for \(targets.count) targets")
        var correct = 0
        var positions = 0
        for (prediction, target) in zip(predictions, targets) {
            correct += zip(prediction, target).count { $0 == $1 }
            positions += max(prediction.count, target.count)
        }
        return positions == 0 ? 0 : Double(correct) / Double(positions)
    }
}
