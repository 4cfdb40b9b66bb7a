/// Bans tokens outright (Hugging Face `SuppressTokensLogitsProcessor`, or
/// `SuppressTokensAtBeginLogitsProcessor` with `onlyAtFirstStep`).
public struct SuppressTokens: LogitProcessor {
    /// The banned tokens.
    public var tokens: [Int32]
    /// Whether the ban applies only to the first generated token.
    public var onlyAtFirstStep: Bool

    /// Creates the processor.
    public init(_ tokens: [Int32], onlyAtFirstStep: Bool = false) {
        self.tokens = tokens
        self.onlyAtFirstStep = onlyAtFirstStep
    }

    /// Sets the scores of the banned tokens to `-∞`.
    public func process(_ rows: LogitRows) {
        for (row, history) in rows.rows.enumerated()
        where !onlyAtFirstStep || history.generatedCount == 0 {
            for token in tokens { rows[row, Int(token)] = -.infinity }
        }
    }
}
