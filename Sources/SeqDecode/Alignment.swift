/// One link of a hard alignment: source token `source` aligned with generated token `target`,
/// both 0-based positions over (subword) tokens.
public struct AlignmentLink: Sendable, Hashable, CustomStringConvertible {
    /// The position in the source.
    public var source: Int
    /// The position in the hypothesis' tokens.
    public var target: Int

    /// Creates a link.
    public init(source: Int, target: Int) {
        self.source = source
        self.target = target
    }

    /// `source-target`, as in Pharaoh-format alignment files and fairseq's `A-` lines.
    public var description: String { "\(source)-\(target)" }
}

extension Hypothesis {
    /// The hard alignment of this hypothesis to `source`, as fairseq's
    /// `extract_hard_alignment`: each generated token not in `ignoring` is linked to the
    /// source position it attends to most, among the source tokens not in `ignoring` (the
    /// first on ties).
    ///
    /// Pass the end and padding ids as `ignoring`, as fairseq does.
    ///
    /// - Parameters:
    ///   - source: The source tokens the search decoded (one per column of `attention`).
    ///   - ignoring: Tokens left out on both sides.
    /// - Returns: The links in target order, or `nil` when `attention` was not collected.
    public func hardAlignment(source: [Int32], ignoring: Set<Int32>) -> [AlignmentLink]? {
        guard let attention else { return nil }
        precondition(
            attention.count == tokens.count,
            "Hypothesis.hardAlignment: \(attention.count) attention rows for \(tokens.count) "
                + "tokens")
        let positions = source.indices.filter { !ignoring.contains(source[$0]) }
        var links: [AlignmentLink] = []
        for (target, token) in tokens.enumerated() where !ignoring.contains(token) {
            let row = attention[target]
            precondition(
                row.count == source.count,
                "Hypothesis.hardAlignment: \(row.count) attention columns for a source of "
                    + "\(source.count) tokens")
            guard var best = positions.first else { break }
            for position in positions where row[position] > row[best] { best = position }
            links.append(AlignmentLink(source: best, target: target))
        }
        return links
    }
}
