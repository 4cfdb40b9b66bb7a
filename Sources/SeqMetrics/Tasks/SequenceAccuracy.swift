/// Exact-sequence accuracy of integer outputs (positions or tokens), overall and by length.
public enum SequenceAccuracy {
    /// The fraction, in 0…1, of predictions equal to their target element for element; 0 for
    /// no pairs.
    ///
    /// - Precondition: both arrays have the same count.
    public static func exactRate<Token: Equatable>(predictions: [[Token]], targets: [[Token]])
        -> Double
    {
        precondition(
            predictions.count == targets.count,
            "SequenceAccuracy: \(predictions.count) predictions for \(targets.count) targets")
        guard !predictions.isEmpty else { return 0 }
        return Double(zip(predictions, targets).count { $0 == $1 }) / Double(predictions.count)
    }

    /// Exact-sequence accuracy of the pairs of each length, shortest first; `lengths` holds
    /// each example's length (elements, or digits per operand for addition).
    ///
    /// - Precondition: the three arrays have the same count.
    public static func byLength<Token: Equatable>(
        predictions: [[Token]], targets: [[Token]], lengths: [Int]
    ) -> [LengthAccuracy] {
        precondition(
            predictions.count == targets.count && targets.count == lengths.count,
            "SequenceAccuracy.byLength: \(predictions.count) predictions, \(targets.count) "
                + "targets and \(lengths.count) lengths")
        var tally: [Int: (count: Int, exact: Int)] = [:]
        for (index, length) in lengths.enumerated() {
            let hit = predictions[index] == targets[index] ? 1 : 0
            tally[length, default: (0, 0)].count += 1
            tally[length, default: (0, 0)].exact += hit
        }
        return tally.keys.sorted().compactMap { length in
            tally[length].map {
                LengthAccuracy(
                    length: length, count: $0.count,
                    exactAccuracy: Double($0.exact) / Double($0.count))
            }
        }
    }
}

/// The exact-sequence accuracy of the examples of one length.
public struct LengthAccuracy: Sendable, Equatable, Codable {
    /// The length (elements, or digits per operand for addition).
    public var length: Int
    /// How many examples have this length.
    public var count: Int
    /// The fraction, in 0…1, of them predicted exactly.
    public var exactAccuracy: Double

    enum CodingKeys: String, CodingKey {
        case length, count
        case exactAccuracy = "exact_accuracy"
    }

    /// Creates a row.
    public init(length: Int, count: Int, exactAccuracy: Double) {
        self.length = length
        self.count = count
        self.exactAccuracy = exactAccuracy
    }
}
