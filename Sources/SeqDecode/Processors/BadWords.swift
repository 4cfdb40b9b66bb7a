/// Bans token sequences (Hugging Face `NoBadWordsLogitsProcessor`).
///
/// A one-token entry `[t]` sets `t`'s score to `-∞` at every step. A longer entry
/// `[t₁, …, tₖ]` bans `tₖ` whenever the row's tokens (start token included) end with
/// `t₁ … tₖ₋₁`. Unlike Hugging Face, an entry `[end]` is not dropped: it bans ending.
public struct BadWords: LogitProcessor {
    /// The banned sequences, each non-empty.
    public let sequences: [[Int32]]

    /// Creates the processor from banned sequences, each non-empty.
    public init(_ sequences: [[Int32]]) {
        precondition(
            sequences.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= 0 } },
            "BadWords: every sequence must be non-empty with non-negative ids, got \(sequences)")
        self.sequences = sequences
    }

    /// Sets the scores of banned continuations to `-∞`.
    public func process(_ rows: LogitRows) {
        for (row, history) in rows.rows.enumerated() {
            let scores = rows.scores(ofRow: row)
            let tokens = history.tokens
            for sequence in sequences {
                guard let last = sequence.last, Int(last) < rows.vocabularySize else {
                    preconditionFailure(
                        "BadWords: \(sequence) has ids outside the vocabulary of "
                            + "\(rows.vocabularySize)")
                }
                let context = sequence.count - 1
                // Hugging Face skips sequences longer than the row's tokens.
                guard sequence.count <= tokens.count else { continue }
                if tokens.suffix(context).elementsEqual(sequence.prefix(context)) {
                    scores[Int(last)] = -.infinity
                }
            }
        }
    }
}
