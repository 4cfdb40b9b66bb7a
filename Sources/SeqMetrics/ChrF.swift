import Foundation

/// chrF (Popović, 2015) and chrF++ (Popović, 2017) exactly as sacrebleu 2.6.0 computes them.
///
/// For every order, character n-grams (n = 1…``characterOrder``, over code points, whitespace
/// removed unless ``whitespace``) and word n-grams (n = 1…``wordOrder``) give three counts:
/// hypothesis n-grams (0 if the reference has no n-gram of that order), reference n-grams, and
/// matches (clipped). With several references a segment uses the counts of the reference with
/// the best F-score. Corpus chrF sums the counts over segments, then by default averages
/// precision and recall over the orders where both sides have n-grams and returns
///
///     100 · (1 + β²) · P · R / (β² · P + R)    (0 if P + R = 0);
///
/// with ``epsSmoothing`` it instead averages the per-order F-scores, with precision, recall
/// or F replaced by 1e-16 where undefined (chrF++.py, Moses, NLTK).
///
/// Word n-grams come from whitespace-separated words, with one ASCII punctuation character
/// split off the end of a word (or else off its start), as sacrebleu does.
public struct ChrF: Sendable {
    /// Largest character n-gram order (`nc`, default 6).
    public var characterOrder: Int
    /// Largest word n-gram order (`nw`): 0 is chrF, 2 is chrF++.
    public var wordOrder: Int
    /// Weight of recall over precision (default 2).
    public var beta: Int
    /// Whether both sides are lowercased first (Python's `str.lower`).
    public var lowercase: Bool
    /// Whether whitespace takes part in character n-grams.
    public var whitespace: Bool
    /// Whether to use epsilon smoothing instead of averaging over effective orders.
    public var epsSmoothing: Bool

    /// A chrF metric; the defaults are sacrebleu's chrF2.
    ///
    /// Use `wordOrder: 2` for chrF++.
    public init(
        characterOrder: Int = 6, wordOrder: Int = 0, beta: Int = 2, lowercase: Bool = false,
        whitespace: Bool = false, epsSmoothing: Bool = false
    ) {
        precondition(characterOrder >= 0 && wordOrder >= 0, "ChrF: orders must not be negative")
        precondition(characterOrder + wordOrder > 0, "ChrF: needs at least one n-gram order")
        self.characterOrder = characterOrder
        self.wordOrder = wordOrder
        self.beta = beta
        self.lowercase = lowercase
        self.whitespace = whitespace
        self.epsSmoothing = epsSmoothing
    }

    /// Corpus chrF of `hypotheses` against reference streams.
    ///
    /// - Parameters:
    ///   - hypotheses: One line per segment.
    ///   - references: Reference streams; stream k holds the k-th reference of every segment,
    ///     `nil` where a segment has no k-th reference.
    /// - Returns: The F-score of the n-gram counts summed over all segments.
    /// - Precondition: every stream has one entry per hypothesis, and every segment has at
    ///   least one reference.
    public func corpusScore(hypotheses: [String], references: [[String?]]) -> ChrFScore {
        let (segments, count) = segmentReferences(
            references, segmentCount: hypotheses.count, metric: "chrF")
        var total = [Int](repeating: 0, count: 3 * orderCount)
        for (hypothesis, segmentReferences) in zip(hypotheses, segments) {
            let counts = statistics(hypothesis: hypothesis, references: segmentReferences)
            for index in total.indices { total[index] += counts[index] }
        }
        return ChrFScore(
            score: fScore(total), name: name, signature: signature(count))
    }

    /// chrF of one hypothesis against its references.
    ///
    /// - Precondition: `references` is not empty.
    public func sentenceScore(hypothesis: String, references: [String]) -> ChrFScore {
        corpusScore(hypotheses: [hypothesis], references: references.map { [$0] })
    }

    /// The metric's name as sacrebleu prints it: `chrF2`, or `chrF2++` for word order 2.
    public var name: String { "chrF\(beta)" + String(repeating: "+", count: wordOrder) }

    /// This metric's signature for corpora with `referenceCount` references.
    ///
    /// For example `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0`.
    public func signature(_ referenceCount: ReferenceCount) -> String {
        formatSignature(
            referenceCount,
            [
                "case": lowercase ? "lc" : "mixed", "eff": yesNo(!epsSmoothing),
                "nc": String(characterOrder), "nw": String(wordOrder),
                "space": yesNo(whitespace),
            ])
    }

    private var orderCount: Int { characterOrder + wordOrder }

    /// `[hyp, ref, match]` for each order, from the reference with the best F-score.
    private func statistics(hypothesis: String, references: [String]) -> [Int] {
        precondition(!references.isEmpty, "chrF: a segment needs at least one reference")
        var numbering = WordNumbering()
        let hypothesisNGrams = ngrams(of: hypothesis, numbering: &numbering)
        var best: [Int] = []
        var bestScore = -1.0
        for reference in references {
            let referenceNGrams = ngrams(of: reference, numbering: &numbering)
            var counts: [Int] = []
            for (hypothesisCounts, referenceCounts) in zip(hypothesisNGrams, referenceNGrams) {
                let hypothesisTotal = hypothesisCounts.values.reduce(0, +)
                counts += [
                    referenceCounts.isEmpty ? 0 : hypothesisTotal,
                    referenceCounts.values.reduce(0, +),
                    matchCount(hypothesisCounts, referenceCounts),
                ]
            }
            let score = fScore(counts)
            if score > bestScore {
                bestScore = score
                best = counts
            }
        }
        return best
    }

    /// Character n-gram counts for each character order, then word n-gram counts for each
    /// word order, both keyed by numbers (code points, word numbers).
    private func ngrams(of line: String, numbering: inout WordNumbering) -> [[[UInt32]: Int]] {
        var text = scalars(of: line)
        if lowercase { text = pythonLowercased(text) }
        let characters = (whitespace ? text : text.filter { !$0.isPythonWhitespace }).map(\.value)
        var result = (0..<characterOrder).map { ngramCounts(characters, order: $0 + 1) }
        if wordOrder > 0 {
            let words = numbering.numbers(of: punctuationSplitWords(text)).map { UInt32($0) }
            result += (1...wordOrder).map { ngramCounts(words, order: $0) }
        }
        return result
    }

    /// sacrebleu's `_compute_f_score` over `[hyp, ref, match]` triples.
    private func fScore(_ counts: [Int]) -> Double {
        let epsilon = 1e-16
        let factor = Double(beta * beta)
        var epsilonScore = 0.0
        var precisionSum = 0.0
        var recallSum = 0.0
        var effectiveOrder = 0
        for order in 0..<orderCount {
            let hypothesisCount = counts[3 * order]
            let referenceCount = counts[3 * order + 1]
            let matches = Double(counts[3 * order + 2])
            let precision = hypothesisCount > 0 ? matches / Double(hypothesisCount) : epsilon
            let recall = referenceCount > 0 ? matches / Double(referenceCount) : epsilon
            let denominator = factor * precision + recall
            epsilonScore +=
                denominator > 0 ? (1 + factor) * precision * recall / denominator : epsilon
            if hypothesisCount > 0 && referenceCount > 0 {
                precisionSum += precision
                recallSum += recall
                effectiveOrder += 1
            }
        }
        if epsSmoothing { return 100 * epsilonScore / Double(orderCount) }
        guard effectiveOrder > 0 else { return 0 }
        let precision = precisionSum / Double(effectiveOrder)
        let recall = recallSum / Double(effectiveOrder)
        guard precision + recall != 0 else { return 0 }
        return 100 * ((1 + factor) * precision * recall / (factor * precision + recall))
    }
}

/// sacrebleu's `_remove_punctuation`: whitespace-separated words, with a trailing ASCII
/// punctuation character split off a word of two or more code points, or else a leading one.
///
/// `(hi)` becomes `(hi` and `)` (sacrebleu issue #124); this is reproduced on purpose.
func punctuationSplitWords(_ text: Scalars) -> [Scalars] {
    var words: [Scalars] = []
    for word in pythonSplit(text) {
        guard word.count > 1, let first = word.first, let last = word.last else {
            words.append(word)
            continue
        }
        if isASCIIPunctuation(last) {
            words += [Array(word.dropLast()), [last]]
        } else if isASCIIPunctuation(first) {
            words += [[first], Array(word.dropFirst())]
        } else {
            words.append(word)
        }
    }
    return words
}

/// Python's `string.punctuation`: ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``.
private func isASCIIPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
    default: return false
    }
}

/// A chrF or chrF++ score.
public struct ChrFScore: Sendable, Hashable {
    /// chrF in 0…100.
    public let score: Double
    /// `chrF2`, `chrF2++`, … (β followed by one `+` per word order).
    public let name: String
    /// The sacrebleu signature.
    ///
    /// For example `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0`.
    public let signature: String

    /// The line sacrebleu prints for this score.
    ///
    /// - Parameter decimals: Digits after the point (sacrebleu's `--width`).
    /// - Returns: For example `chrF2|<signature> = 80.79`.
    public func formatted(decimals: Int = 2) -> String {
        "\(name)|\(signature) = \(String(format: "%.\(decimals)f", score))"
    }
}
