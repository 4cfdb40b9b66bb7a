/// The attention rows of a beam's generated tokens, newest last, as a persistent list:
/// extending a beam adds one node, and beams that share a prefix share its rows.
final class AttentionTrail {
    /// The attention of the newest token over the source.
    let row: [Float]
    /// The rows of the tokens before it, or `nil` at the first token.
    let previous: AttentionTrail?

    init(row: [Float], previous: AttentionTrail?) {
        self.row = row
        self.previous = previous
    }

    /// Every row, oldest first (one per generated token).
    var rows: [[Float]] {
        var rows: [[Float]] = []
        var node: AttentionTrail? = self
        while let current = node {
            rows.append(current.row)
            node = current.previous
        }
        return rows.reversed()
    }
}
