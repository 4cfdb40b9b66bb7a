import Foundation

/// Translation edit rate (Snover et al., 2006) exactly as sacrebleu 2.6.0 computes it.
///
/// TER counts the word insertions, deletions, substitutions and block shifts that turn a
/// hypothesis into a reference, per reference word:
///
///     TER = 100 · Σ edits / Σ average reference length
///
/// A segment's edits are the fewest over its references; its length is the average of its
/// reference lengths. Shifts are searched greedily as tercom does (blocks of at most 10 words
/// moved at most 50 positions, at most 1000 candidates per pair), and edit distances use
/// sacrebleu's beam of 25 around the diagonal. If all references are empty the score is 100
/// when the hypotheses have words and 0 otherwise.
///
/// Like sacrebleu, references (not hypotheses) go through the normaliser twice. With
/// ``normalized`` this can split more, e.g. `it's` after a no-break space becomes `it 's` only
/// in the second pass, once the no-break space has become a plain space.
public struct TER: Sendable {
    /// Apply tercom's normalisation: unescape XML entities and split punctuation.
    public var normalized: Bool
    /// Remove the punctuation `.,?:;!"()` (and, with ``asianSupport``, CJK punctuation).
    public var noPunctuation: Bool
    /// Treat CJK code points as words when ``normalized``, and remove CJK punctuation when
    /// ``noPunctuation``; no effect otherwise.
    public var asianSupport: Bool
    /// Keep case; by default both sides are lowercased (tercom's default).
    public var caseSensitive: Bool

    /// A TER metric; the defaults are sacrebleu's (and tercom's).
    public init(
        normalized: Bool = false, noPunctuation: Bool = false, asianSupport: Bool = false,
        caseSensitive: Bool = false
    ) {
        self.normalized = normalized
        self.noPunctuation = noPunctuation
        self.asianSupport = asianSupport
        self.caseSensitive = caseSensitive
    }

    /// Corpus TER of `hypotheses` against reference streams.
    ///
    /// - Parameters:
    ///   - hypotheses: One line per segment.
    ///   - references: Reference streams; stream k holds the k-th reference of every segment,
    ///     `nil` where a segment has no k-th reference.
    /// - Returns: Total edits per total average reference length, in percent.
    /// - Precondition: every stream has one entry per hypothesis, and every segment has at
    ///   least one reference.
    /// - Complexity: Roughly O(length² × beam) per segment and reference, bounded by the
    ///   candidate limit.
    public func corpusScore(hypotheses: [String], references: [[String?]]) -> TERScore {
        let (segments, count) = segmentReferences(
            references, segmentCount: hypotheses.count, metric: "TER")
        var edits = 0
        var referenceLength = 0.0
        for (hypothesis, segmentReferences) in zip(hypotheses, segments) {
            let segment = statistics(hypothesis: hypothesis, references: segmentReferences)
            edits += segment.edits
            referenceLength += segment.referenceLength
        }
        let rate: Double
        if referenceLength > 0 {
            rate = Double(edits) / referenceLength
        } else {
            rate = edits > 0 ? 1 : 0
        }
        return TERScore(
            score: 100 * rate, numEdits: edits, referenceLength: referenceLength,
            signature: signature(count))
    }

    /// TER of one hypothesis against its references.
    ///
    /// - Precondition: `references` is not empty.
    public func sentenceScore(hypothesis: String, references: [String]) -> TERScore {
        corpusScore(hypotheses: [hypothesis], references: references.map { [$0] })
    }

    /// This metric's signature for corpora with `referenceCount` references.
    ///
    /// For example `nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0`.
    public func signature(_ referenceCount: ReferenceCount) -> String {
        formatSignature(
            referenceCount,
            [
                "case": caseSensitive ? "mixed" : "lc", "tok": "tercom",
                "norm": yesNo(normalized), "punct": yesNo(!noPunctuation),
                "asian": yesNo(asianSupport),
            ])
    }

    /// The fewest edits over the references, and the average reference length.
    private func statistics(hypothesis: String, references: [String])
        -> (edits: Int, referenceLength: Double)
    {
        precondition(!references.isEmpty, "TER: a segment needs at least one reference")
        let normalizer = TERNormalizer(
            normalized: normalized, noPunctuation: noPunctuation, asianSupport: asianSupport,
            caseSensitive: caseSensitive)
        var numbering = WordNumbering()
        let hypothesisWords = numbering.numbers(of: normalizer.words(of: hypothesis))
        var fewestEdits = Int.max
        var totalLength = 0
        for reference in references {
            // sacrebleu tokenises references twice (once when caching them, once more in
            // `_extract_reference_info`); the second pass is not always a no-op.
            let once = normalizer.words(of: reference).map { string(from: $0) }
            let twice = normalizer.words(of: once.joined(separator: " "))
            let referenceWords = numbering.numbers(of: twice)
            let (edits, length) = translationEditRate(
                hypothesis: hypothesisWords, reference: referenceWords)
            totalLength += length
            fewestEdits = min(fewestEdits, edits)
        }
        return (fewestEdits, Double(totalLength) / Double(references.count))
    }
}

/// A TER score with the statistics behind it.
public struct TERScore: Sendable, Hashable {
    /// TER in percent: 0 is a perfect match; it can exceed 100.
    public let score: Double
    /// Edits in total (the fewest per segment, summed).
    public let numEdits: Int
    /// Average reference length, summed over segments.
    public let referenceLength: Double
    /// The sacrebleu signature.
    ///
    /// For example `nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0`.
    public let signature: String

    /// The line sacrebleu prints for this score.
    ///
    /// - Parameter decimals: Digits after the point (sacrebleu's `--width`).
    /// - Returns: For example `TER|<signature> = 16.47`.
    public func formatted(decimals: Int = 2) -> String {
        "TER|\(signature) = \(String(format: "%.\(decimals)f", score))"
    }
}
