/// Minimum Bayes-risk selection: the candidate that agrees most with the others.
///
/// From candidates `c₁ … cₙ` (an n-best list or samples, duplicates kept), candidate `i` gets
/// the expected utility
///
///     E(i) = 1/(n − 1) · Σ_{j ≠ i} U(cᵢ, cⱼ),
///
/// with `U(h, r)` the sentence score of hypothesis `h` against the single reference `r`: every
/// other candidate stands for a sample of the model's distribution, with uniform weights, and
/// the candidate itself is left out of its own expectation. The selection is the candidate
/// with the highest `E`, the earliest one on a tie (so, for a list best first, the better
/// ranked). One candidate has no others: its expected utility is 0 and it is selected.
///
/// ```swift
/// let mbr = MinimumBayesRisk(utility: .chrF())
/// let choice = mbr.select(from: ["a cat sat", "the cat sat", "the cat sat down"])
/// print(choice.index, choice.expectedUtility)
/// ```
public struct MinimumBayesRisk: Sendable {
    /// The sentence-level score that measures how much two candidates agree.
    public enum Utility: Sendable {
        /// Sentence chrF (sacrebleu's `sentence_chrf` with the default `ChrF()`).
        case chrF(ChrF = ChrF())
        /// Sentence BLEU; `BLEU(effectiveOrder: true)` is sacrebleu's `sentence_bleu`.
        case bleu(BLEU = BLEU(effectiveOrder: true))

        /// The score of `hypothesis` against `reference`, 0…100.
        func score(_ hypothesis: String, against reference: String) -> Double {
            switch self {
            case .chrF(let metric):
                return metric.sentenceScore(hypothesis: hypothesis, references: [reference]).score
            case .bleu(let metric):
                return metric.sentenceScore(hypothesis: hypothesis, references: [reference]).score
            }
        }
    }

    /// The selected candidate.
    public struct Choice: Sendable, Equatable {
        /// Its position in the candidates.
        public let index: Int
        /// The expected utility of every candidate, in candidate order.
        public let expectedUtilities: [Double]

        /// A choice of candidate `index` among candidates with `expectedUtilities`.
        public init(index: Int, expectedUtilities: [Double]) {
            precondition(
                expectedUtilities.indices.contains(index),
                "MinimumBayesRisk.Choice: index \(index) outside \(expectedUtilities.count) candidates"
            )
            self.index = index
            self.expectedUtilities = expectedUtilities
        }

        /// The selected candidate's expected utility against the others.
        public var expectedUtility: Double { expectedUtilities[index] }
    }

    /// How agreement is scored.
    public var utility: Utility

    /// A selection by `utility`, sentence chrF by default.
    public init(utility: Utility = .chrF()) {
        self.utility = utility
    }

    /// The expected utility of every candidate against the others, in candidate order.
    ///
    /// - Complexity: n · (n − 1) sentence scores for n candidates.
    public func expectedUtilities(of candidates: [String]) -> [Double] {
        guard candidates.count > 1 else { return candidates.map { _ in 0 } }
        let others = Double(candidates.count - 1)
        return candidates.indices.map { index in
            var total = 0.0
            for other in candidates.indices where other != index {
                total += utility.score(candidates[index], against: candidates[other])
            }
            return total / others
        }
    }

    /// The candidate with the highest expected utility, the earliest on a tie.
    ///
    /// - Precondition: `candidates` is not empty.
    public func select(from candidates: [String]) -> Choice {
        precondition(!candidates.isEmpty, "MinimumBayesRisk.select: no candidates")
        let utilities = expectedUtilities(of: candidates)
        var best = 0
        for index in utilities.indices where utilities[index] > utilities[best] { best = index }
        return Choice(index: best, expectedUtilities: utilities)
    }
}
