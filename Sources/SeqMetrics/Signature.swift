extension SeqMetrics {
    /// The sacrebleu release whose scores and signatures this module reproduces.
    ///
    /// Signatures end in `version:` followed by this value: it names the reference
    /// implementation that the numbers agree with, not a version of this package.
    public static let sacrebleuVersion = "2.6.0"
}

/// How many references the segments of a scored corpus had, as the `nrefs` signature field.
public enum ReferenceCount: Sendable, Hashable, CustomStringConvertible {
    /// Every segment had this many references.
    case fixed(Int)
    /// Segments had different numbers of references (`nrefs:var`).
    case variable

    /// `"1"`, `"4"`, or `"var"`.
    public var description: String {
        switch self {
        case .fixed(let count): return String(count)
        case .variable: return "var"
        }
    }
}

/// A sacrebleu signature: `nrefs:…|` the metric's fields `|version:2.6.0`.
func formatSignature(_ referenceCount: ReferenceCount, _ fields: KeyValuePairs<String, String>)
    -> String
{
    let parts =
        [("nrefs", referenceCount.description)] + fields.map { ($0.key, $0.value) }
        + [("version", SeqMetrics.sacrebleuVersion)]
    return parts.map { "\($0.0):\($0.1)" }.joined(separator: "|")
}

/// `"yes"` or `"no"`, as signatures spell booleans.
func yesNo(_ flag: Bool) -> String { flag ? "yes" : "no" }

/// The references of each segment, from reference streams.
///
/// Stream `k` holds the `k`-th reference of every segment; `nil` means that segment has no
/// `k`-th reference and is skipped (an empty string is a real, empty reference).
///
/// - Precondition: every stream has `segmentCount` entries and every segment has at least one
///   reference.
func segmentReferences(
    _ streams: [[String?]], segmentCount: Int, metric: String
) -> (references: [[String]], count: ReferenceCount) {
    for (index, stream) in streams.enumerated() {
        precondition(
            stream.count == segmentCount,
            "\(metric): reference stream \(index) has \(stream.count) entries for \(segmentCount) hypotheses"
        )
    }
    let references = (0..<segmentCount).map { segment in streams.compactMap { $0[segment] } }
    for (segment, segmentReferences) in references.enumerated() {
        precondition(!segmentReferences.isEmpty, "\(metric): segment \(segment) has no reference")
    }
    let counts = Set(references.map(\.count))
    let count: ReferenceCount =
        counts.count == 1
        ? .fixed(references[0].count)
        : counts.isEmpty ? .fixed(streams.count) : .variable
    return (references, count)
}
