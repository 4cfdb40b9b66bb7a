/// Forces outputs to start with given tokens.
///
/// While a row has generated fewer tokens than its prefix, every score becomes `-∞` except the
/// next prefix token's, which keeps the model's log-probability (so scores and
/// `sumLogProbabilities` stay those of the whole output).
public struct TargetPrefix: LogitProcessor {
    private enum Prefixes: Sendable {
        case shared([Int32])
        case perSource([[Int32]])
    }
    private let prefixes: Prefixes

    /// Forces the same `prefix` for every source.
    public init(_ prefix: [Int32]) { prefixes = .shared(prefix) }

    /// Forces `prefixes[i]` for source `i` of the search call (indices into its `sources`).
    public init(perSource prefixes: [[Int32]]) { self.prefixes = .perSource(prefixes) }

    /// Forces the next prefix token in rows still inside their prefix.
    public func process(_ rows: LogitRows) {
        for (row, history) in rows.rows.enumerated() {
            let prefix: [Int32]
            switch prefixes {
            case .shared(let shared): prefix = shared
            case .perSource(let all):
                precondition(
                    history.source < all.count,
                    "TargetPrefix: no prefix for source \(history.source); have \(all.count)")
                prefix = all[history.source]
            }
            let position = history.generatedCount
            guard position < prefix.count else { continue }
            let token = Int(prefix[position])
            rows.force(row: row, token: token, value: rows[row, token])
        }
    }
}
