/// Exact match: the share of segments whose hypothesis is exactly its reference.
///
/// Strings are compared code point by code point, as the other metrics (and Python) do, so
/// `"é"` and `"e\u{301}"` differ; nothing is trimmed or lowercased.
public enum ExactMatch {
    /// The fraction, in 0…1, of positions where `hypotheses[i]` equals `references[i]`;
    /// 0 for no segments.
    ///
    /// - Precondition: both arrays have the same count.
    public static func rate(hypotheses: [String], references: [String]) -> Double {
        precondition(
            hypotheses.count == references.count,
            "ExactMatch: \(hypotheses.count) hypotheses for \(references.count) references")
        guard !hypotheses.isEmpty else { return 0 }
        let matches = zip(hypotheses, references).count {
            $0.unicodeScalars.elementsEqual($1.unicodeScalars)
        }
        return Double(matches) / Double(hypotheses.count)
    }
}
