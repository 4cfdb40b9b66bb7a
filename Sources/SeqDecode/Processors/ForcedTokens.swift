/// Forces the first generated token (Hugging Face `ForcedBOSTokenLogitsProcessor`).
///
/// At the first step every score becomes `-∞` except `token`'s, which becomes 0.
public struct ForcedBOSToken: LogitProcessor {
    /// The token every output starts with.
    public var token: Int32

    /// Creates the processor.
    public init(_ token: Int32) { self.token = token }

    /// Forces `token` in rows that have not generated anything yet.
    public func process(_ rows: LogitRows) {
        for (row, history) in rows.rows.enumerated() where history.generatedCount == 0 {
            rows.force(row: row, token: Int(token), value: 0)
        }
    }
}

/// Forces the end token at the last allowed step (Hugging Face
/// `ForcedEOSTokenLogitsProcessor`).
///
/// When a row is about to generate its last allowed token, every score becomes `-∞` except
/// `token`'s, which becomes 0.
public struct ForcedEOSToken: LogitProcessor {
    /// The token forced at the length limit, usually the end token.
    public var token: Int32

    /// Creates the processor.
    public init(_ token: Int32) { self.token = token }

    /// Forces `token` in rows at their last step.
    public func process(_ rows: LogitRows) {
        for (row, history) in rows.rows.enumerated()
        where history.generatedCount == history.maxNewTokens - 1 {
            rows.force(row: row, token: Int(token), value: 0)
        }
    }
}
