import Foundation

/// BLEU (Papineni et al., 2002) exactly as sacrebleu 2.6.0 computes it.
///
/// Each line is optionally lowercased (Python's `str.lower`), right-stripped, tokenised and
/// split on whitespace. A segment contributes its hypothesis length, the reference length
/// closest to it (ties go to the shorter reference), and for n = 1…4 the number of hypothesis
/// n-grams and of those matched, clipped by the largest count of that n-gram in any one
/// reference. Corpus BLEU sums these statistics over segments, then
///
///     BLEU = BP · exp((1/N) Σₙ log pₙ),   pₙ = matchesₙ / totalₙ,
///     BP = 1 if c ≥ r, else exp(1 − r/c)  (0 if c = 0),
///
/// with c the hypothesis length and r the reference length, smoothing zero precisions as
/// ``Smoothing`` describes. The score is 0 when no n-gram of any order matches.
///
/// ```swift
/// let bleu = BLEU(tokenizer: .thirteenA)
/// let score = bleu.corpusScore(hypotheses: outputs, references: [references])
/// print(score.score, score.signature)  // 34.1 nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|…
/// ```
public struct BLEU: Sendable {
    /// How zero n-gram precisions are smoothed (Chen and Cherry, 2014).
    public enum Smoothing: Sendable, Hashable {
        /// Method 3 of mteval-v13a (sacrebleu's default `exp`): the k-th zero precision
        /// becomes 1 / (2ᵏ · totalₙ).
        case exponential
        /// Method 1 (`floor`): a zero precision becomes `value` / totalₙ; sacrebleu's default
        /// value is 0.1.
        case floor(Double = 0.1)
        /// Method 2 (`add-k`): `value` is added to matches and totals of every order n ≥ 2;
        /// sacrebleu's default value is 1.
        case addK(Double = 1)
        /// No smoothing (`none`): one zero precision makes the score 0.
        case none

        /// The signature spelling: `exp`, `floor[0.10]`, `add-k[1.00]` or `none`.
        public var signatureValue: String {
            switch self {
            case .exponential: return "exp"
            case .floor(let value): return "floor[\(String(format: "%.2f", value))]"
            case .addK(let value): return "add-k[\(String(format: "%.2f", value))]"
            case .none: return "none"
            }
        }
    }

    /// The largest n-gram order N (sacrebleu's `max_ngram_order`).
    public static let maximumOrder = 4

    /// How lines are split into words.
    public var tokenizer: BLEUTokenizer
    /// Whether both sides are lowercased before tokenising (`case:lc`).
    public var lowercase: Bool
    /// How zero precisions are smoothed.
    public var smoothing: Smoothing
    /// Whether to average only over the orders up to the last one with a non-zero total,
    /// as recommended for sentence-level BLEU.
    public var effectiveOrder: Bool

    /// A BLEU metric; the defaults are sacrebleu's.
    public init(
        tokenizer: BLEUTokenizer = .thirteenA, lowercase: Bool = false,
        smoothing: Smoothing = .exponential, effectiveOrder: Bool = false
    ) {
        self.tokenizer = tokenizer
        self.lowercase = lowercase
        self.smoothing = smoothing
        self.effectiveOrder = effectiveOrder
    }

    /// Corpus BLEU of `hypotheses` against reference streams.
    ///
    /// - Parameters:
    ///   - hypotheses: One line per segment.
    ///   - references: Reference streams; stream k holds the k-th reference of every segment,
    ///     `nil` where a segment has no k-th reference.
    /// - Returns: The score of the summed statistics of all segments.
    /// - Precondition: every stream has one entry per hypothesis, and every segment has at
    ///   least one reference.
    public func corpusScore(hypotheses: [String], references: [[String?]]) -> BLEUScore {
        let (segments, count) = segmentReferences(
            references, segmentCount: hypotheses.count, metric: "BLEU")
        let total = zip(hypotheses, segments).reduce(BLEUStatistics.zero) {
            $0 + statistics(hypothesis: $1.0, references: $1.1)
        }
        return score(from: total, referenceCount: count)
    }

    /// BLEU of one hypothesis against its references (use ``effectiveOrder`` for this).
    ///
    /// - Precondition: `references` is not empty.
    public func sentenceScore(hypothesis: String, references: [String]) -> BLEUScore {
        corpusScore(hypotheses: [hypothesis], references: references.map { [$0] })
    }

    /// The sufficient statistics of one segment; sum them to score a corpus.
    ///
    /// - Precondition: `references` is not empty.
    public func statistics(hypothesis: String, references: [String]) -> BLEUStatistics {
        precondition(!references.isEmpty, "BLEU: a segment needs at least one reference")
        var numbering = WordNumbering()
        let hypothesisWords = numbering.numbers(of: words(of: hypothesis))
        var referenceLengths: [Int] = []
        var referenceCounts = [[[Int]: Int]](repeating: [:], count: Self.maximumOrder)
        for reference in references {
            let referenceWords = numbering.numbers(of: words(of: reference))
            referenceLengths.append(referenceWords.count)
            for order in 1...Self.maximumOrder {
                let counts = ngramCounts(referenceWords, order: order)
                referenceCounts[order - 1].merge(counts, uniquingKeysWith: max)
            }
        }
        var matches: [Int] = []
        var totals: [Int] = []
        for order in 1...Self.maximumOrder {
            let counts = ngramCounts(hypothesisWords, order: order)
            totals.append(counts.values.reduce(0, +))
            matches.append(matchCount(counts, referenceCounts[order - 1]))
        }
        return BLEUStatistics(
            hypothesisLength: hypothesisWords.count,
            referenceLength: closestLength(to: hypothesisWords.count, among: referenceLengths),
            matches: matches, totals: totals)
    }

    /// The score of summed statistics (sacrebleu's `compute_bleu`).
    ///
    /// - Parameters:
    ///   - statistics: Statistics of one segment or summed over a corpus.
    ///   - referenceCount: What the signature reports as `nrefs`.
    /// - Returns: The score, with counts and precisions as sacrebleu reports them.
    public func score(from statistics: BLEUStatistics, referenceCount: ReferenceCount)
        -> BLEUScore
    {
        var counts = statistics.matches.map(Double.init)
        var totals = statistics.totals.map(Double.init)
        let systemLength = statistics.hypothesisLength
        let referenceLength = statistics.referenceLength
        var brevityPenalty = 1.0
        if systemLength < referenceLength {
            brevityPenalty =
                systemLength > 0 ? exp(1 - Double(referenceLength) / Double(systemLength)) : 0
        }
        var precisions = [Double](repeating: 0, count: Self.maximumOrder)
        // sacrebleu returns 0, with unsmoothed counts and zero precisions, when nothing matches.
        guard statistics.matches.contains(where: { $0 != 0 }) else {
            return BLEUScore(
                score: 0, counts: counts, totals: totals, precisions: precisions,
                brevityPenalty: brevityPenalty, systemLength: systemLength,
                referenceLength: referenceLength, signature: signature(referenceCount))
        }
        var usedOrder = Self.maximumOrder
        var exponentialFactor = 1.0
        for index in 0..<Self.maximumOrder {
            if case .addK(let value) = smoothing, index > 0 {
                counts[index] += value
                totals[index] += value
            }
            if totals[index] == 0 { break }
            if effectiveOrder { usedOrder = index + 1 }
            if counts[index] == 0 {
                switch smoothing {
                case .exponential:
                    exponentialFactor *= 2
                    precisions[index] = 100 / (exponentialFactor * totals[index])
                case .floor(let value):
                    precisions[index] = 100 * value / totals[index]
                case .addK, .none:
                    break
                }
            } else {
                precisions[index] = 100 * counts[index] / totals[index]
            }
        }
        let logSum = precisions[..<usedOrder].reduce(0) { $0 + flooredLog($1) }
        let score = brevityPenalty * exp(logSum / Double(usedOrder))
        return BLEUScore(
            score: score, counts: counts, totals: totals, precisions: precisions,
            brevityPenalty: brevityPenalty, systemLength: systemLength,
            referenceLength: referenceLength, signature: signature(referenceCount))
    }

    /// This metric's signature for corpora with `referenceCount` references.
    ///
    /// For example `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`.
    public func signature(_ referenceCount: ReferenceCount) -> String {
        formatSignature(
            referenceCount,
            [
                "case": lowercase ? "lc" : "mixed", "eff": yesNo(effectiveOrder),
                "tok": tokenizer.rawValue, "smooth": smoothing.signatureValue,
            ])
    }

    /// The words of a line after lowercasing, right-stripping and tokenising.
    private func words(of line: String) -> [Scalars] {
        var text = scalars(of: line)
        if lowercase { text = pythonLowercased(text) }
        return pythonSplit(tokenizer.tokenized(pythonRightStripped(text)))
    }
}

/// The reference length closest to `length`; on ties the shorter one.
private func closestLength(to length: Int, among lengths: [Int]) -> Int {
    lengths.min { (abs(length - $0), $0) < (abs(length - $1), $1) } ?? 0
}

/// sacrebleu's `my_log`: the natural logarithm, with log 0 floored to -9999999999.
private func flooredLog(_ value: Double) -> Double { value == 0 ? -9_999_999_999 : log(value) }

/// What one segment (or, summed, a corpus) contributes to BLEU.
public struct BLEUStatistics: Sendable, Hashable {
    /// Hypothesis words.
    public var hypothesisLength: Int
    /// The closest reference length (the shorter one on ties).
    public var referenceLength: Int
    /// Matched hypothesis n-grams for n = 1…4, clipped by reference counts.
    public var matches: [Int]
    /// Hypothesis n-grams for n = 1…4.
    public var totals: [Int]

    /// Statistics of an empty corpus.
    public static let zero = BLEUStatistics(
        hypothesisLength: 0, referenceLength: 0,
        matches: Array(repeating: 0, count: BLEU.maximumOrder),
        totals: Array(repeating: 0, count: BLEU.maximumOrder))

    /// Creates statistics from their parts.
    public init(hypothesisLength: Int, referenceLength: Int, matches: [Int], totals: [Int]) {
        self.hypothesisLength = hypothesisLength
        self.referenceLength = referenceLength
        self.matches = matches
        self.totals = totals
    }

    /// The element-wise sum, for corpus statistics.
    public static func + (lhs: BLEUStatistics, rhs: BLEUStatistics) -> BLEUStatistics {
        BLEUStatistics(
            hypothesisLength: lhs.hypothesisLength + rhs.hypothesisLength,
            referenceLength: lhs.referenceLength + rhs.referenceLength,
            matches: zip(lhs.matches, rhs.matches).map(+),
            totals: zip(lhs.totals, rhs.totals).map(+))
    }
}
