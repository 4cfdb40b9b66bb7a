/// One output of a search: the generated tokens and their scores.
public struct Hypothesis: Sendable, Equatable {
    /// Generated tokens, without the start token; ends with the end token when `isFinished`.
    public var tokens: [Int32]
    /// The score the search ranks by.
    ///
    /// Beam searches: the running sum of processed log-probabilities (diversity penalties
    /// included) divided by `tokens.count ^ lengthPenalty`, as Hugging Face's
    /// `sequences_scores`. Greedy search and sampling: the sum of processed log-probabilities
    /// of the chosen tokens (logit processors applied, no length normalisation).
    public var score: Float
    /// The sum of the model's own log-probabilities of `tokens`, before any logit processor or
    /// diversity penalty: the hypothesis' log-likelihood under the model.
    public var sumLogProbabilities: Float
    /// Whether the hypothesis ended with the end token (rather than at the length limit).
    public var isFinished: Bool
    /// The cross attention behind each token, when the search collected it.
    ///
    /// With `AttentionOptions`: one row per entry of `tokens` (the end token included), each
    /// holding the weights over the source's positions that the step producing the token
    /// attended with, averaged over the heads of one layer. `nil` when not collected or when
    /// the model cannot report attention.
    public var attention: [[Float]]?

    /// Creates a hypothesis from its parts.
    public init(
        tokens: [Int32], score: Float, sumLogProbabilities: Float, isFinished: Bool,
        attention: [[Float]]? = nil
    ) {
        self.tokens = tokens
        self.score = score
        self.sumLogProbabilities = sumLogProbabilities
        self.isFinished = isFinished
        self.attention = attention
    }
}

/// The outputs of a search for one source, best first.
public struct SearchResult: Sendable, Equatable {
    /// The n-best hypotheses, best first (never empty).
    public var hypotheses: [Hypothesis]

    /// Creates a result from hypotheses already ordered best first.
    public init(hypotheses: [Hypothesis]) {
        precondition(!hypotheses.isEmpty, "SearchResult: no hypotheses")
        self.hypotheses = hypotheses
    }

    /// The best hypothesis.
    public var best: Hypothesis { hypotheses[0] }
}

extension SearchResult {
    /// Every hypothesis of `results` as a row of Hugging Face `generate()`'s `sequences`.
    ///
    /// Row order: source by source, best first within a source. Each row is the start token,
    /// then the hypothesis' tokens, right-padded with `padID` to the longest row.
    public static func paddedSequences(
        _ results: [SearchResult], startID: Int32, padID: Int32
    ) -> [[Int32]] {
        let rows = results.flatMap { $0.hypotheses.map { [startID] + $0.tokens } }
        let width = rows.map(\.count).max() ?? 0
        return rows.map { $0 + Array(repeating: padID, count: width - $0.count) }
    }
}
