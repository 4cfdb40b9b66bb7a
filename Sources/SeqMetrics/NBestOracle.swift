/// Oracle BLEU of n-best lists: how good the output could be if the best entry of every list
/// were chosen, as in Oracle@k of diverse beam search (Vijayakumar et al.).
///
/// For every segment the entry with the highest sentence BLEU against the segment's
/// references is chosen (the earliest on a tie, so the better-ranked one); the oracle score is
/// the corpus BLEU of those choices.
///
/// ```swift
/// let oracle = NBestOracle()
/// let score = oracle.corpusScore(nBest: lists, references: [references])
/// ```
public struct NBestOracle: Sendable {
    /// Chooses the entries: sentence BLEU, sacrebleu's `sentence_bleu` by default.
    public var sentenceMetric: BLEU
    /// Scores the choices: corpus BLEU, sacrebleu's `corpus_bleu` by default.
    public var corpusMetric: BLEU

    /// An oracle choosing by `sentenceMetric` and scoring by `corpusMetric`.
    public init(
        sentenceMetric: BLEU = BLEU(effectiveOrder: true), corpusMetric: BLEU = BLEU()
    ) {
        self.sentenceMetric = sentenceMetric
        self.corpusMetric = corpusMetric
    }

    /// The entry of each list closest to the segment's references.
    ///
    /// - Parameters:
    ///   - nBest: One list per segment, best first.
    ///   - references: Reference streams as in `BLEU.corpusScore`: stream k holds the k-th
    ///     reference of every segment, `nil` where a segment has no k-th reference.
    /// - Returns: The index of the chosen entry of each list, or `nil` for an empty list.
    /// - Precondition: every stream has one entry per list, and every segment has at least
    ///   one reference.
    public func choices(nBest: [[String]], references: [[String?]]) -> [Int?] {
        for stream in references {
            precondition(
                stream.count == nBest.count,
                "NBestOracle: a reference stream has \(stream.count) entries for "
                    + "\(nBest.count) lists")
        }
        return nBest.indices.map { segment in
            let segmentReferences = references.compactMap { $0[segment] }
            precondition(
                !segmentReferences.isEmpty, "NBestOracle: segment \(segment) has no reference")
            var best: (index: Int, score: Double)?
            for (index, entry) in nBest[segment].enumerated() {
                let score = sentenceMetric.sentenceScore(
                    hypothesis: entry, references: segmentReferences
                ).score
                if best.map({ score > $0.score }) ?? true { best = (index, score) }
            }
            return best?.index
        }
    }

    /// Corpus BLEU of the chosen entries; an empty list counts as an empty hypothesis.
    ///
    /// - Precondition: as `choices(nBest:references:)`.
    public func corpusScore(nBest: [[String]], references: [[String?]]) -> BLEUScore {
        let chosen = zip(nBest, choices(nBest: nBest, references: references)).map {
            list, choice in choice.map { list[$0] } ?? ""
        }
        return corpusMetric.corpusScore(hypotheses: chosen, references: references)
    }
}
