/// Bans the end token until enough tokens have been generated (Hugging Face
/// `MinNewTokensLengthLogitsProcessor`).
///
/// The end token's score is `-∞` while fewer than `minNewTokens` tokens have been generated, so
/// every finished output has at least `minNewTokens` tokens before its end token. This is
/// Hugging Face `min_new_tokens = minNewTokens`, or `min_length = minNewTokens + 1` for an
/// encoder–decoder model (whose `min_length` counts the start token).
public struct MinLength: LogitProcessor {
    /// Tokens to generate before the end token is allowed.
    public var minNewTokens: Int
    /// The end token.
    public var endID: Int32

    /// Creates the processor.
    public init(minNewTokens: Int, endID: Int32) {
        precondition(minNewTokens >= 0, "MinLength: minNewTokens must be ≥ 0, got \(minNewTokens)")
        self.minNewTokens = minNewTokens
        self.endID = endID
    }

    /// Sets the end token's score to `-∞` in rows that are still too short.
    public func process(_ rows: LogitRows) {
        for (row, history) in rows.rows.enumerated() where history.generatedCount < minNewTokens {
            rows[row, Int(endID)] = -.infinity
        }
    }
}
