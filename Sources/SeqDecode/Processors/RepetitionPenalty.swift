/// Penalises every token the row already contains.
///
/// Keskar and others (2019, CTRL); Hugging Face `RepetitionPenaltyLogitsProcessor`.
/// For each distinct token `t` of the row's tokens (the start token included), the score `s`
/// becomes `s · penalty` when `s < 0`, else `s / penalty`. A penalty above 1 discourages
/// repetition.
public struct RepetitionPenalty: LogitProcessor {
    /// The penalty factor θ (> 0; 1 changes nothing).
    public var penalty: Float

    /// Creates the processor; `penalty` must be positive.
    public init(_ penalty: Float) {
        precondition(penalty > 0, "RepetitionPenalty: penalty must be > 0, got \(penalty)")
        self.penalty = penalty
    }

    /// Penalises the tokens each row already contains.
    public func process(_ rows: LogitRows) {
        for (row, history) in rows.rows.enumerated() {
            let scores = rows.scores(ofRow: row)
            var seen = Set<Int32>()
            for token in history.tokens where seen.insert(token).inserted {
                let index = Int(token)
                precondition(
                    index >= 0 && index < rows.vocabularySize,
                    "RepetitionPenalty: token \(token) outside the vocabulary of "
                        + "\(rows.vocabularySize)")
                let score = scores[index]
                scores[index] = score < 0 ? score * penalty : score / penalty
            }
        }
    }
}
