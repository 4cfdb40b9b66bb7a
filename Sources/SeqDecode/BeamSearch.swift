import SeqModels

/// When a beam search stops working on a source (Hugging Face `early_stopping`).
public enum EarlyStopping: Sendable, Equatable {
    /// Stop as soon as `beamSize` hypotheses have finished.
    case `true`
    /// Stop when the worst finished score is at least `best / n ^ lengthPenalty`, with `best`
    /// the best running score of the step and `n` the tokens generated so far (a heuristic).
    case `false`
    /// Stop only when no live beam can win: as `false`, but with `n` replaced by the source's
    /// length limit when `lengthPenalty > 0`.
    case never
}

/// Beam search with a length penalty, exactly as Hugging Face `generate()` 4.46.
///
/// Beam scores start at 0 for the first beam and -1e9 for the others. At every step each beam's
/// running score is added to its processed log-probabilities, and the best `2 · beamSize`
/// (beam, token) extensions are visited best first: an end token ranked below `beamSize` adds
/// a finished hypothesis with score `sum / length ^ lengthPenalty` (the length counts the end
/// token), an end token ranked lower is skipped, and any other token continues a live beam,
/// until `beamSize` live beams are chosen. Each source keeps its best `beamSize` finished
/// hypotheses and stops by `earlyStopping`; at its length limit its live beams join the
/// finished list with their running scores. Sutskever et al. (2014) is the case
/// `lengthPenalty = 0`.
public struct BeamSearch: SearchStrategy {
    /// Hypotheses kept per source (≥ 1).
    public var beamSize: Int
    /// Exponent α in the normalisation `score / length^α`: above 0 favours longer outputs.
    public var lengthPenalty: Float
    /// When to stop a source.
    public var earlyStopping: EarlyStopping
    /// Hypotheses returned per source (Hugging Face `num_return_sequences`, ≤ `beamSize`).
    public var nBest: Int
    /// How many tokens each source may generate.
    public var length: LengthLimit
    /// Applied in order at every step, to every beam.
    public var processors: [any LogitProcessor]
    /// Whether to collect each hypothesis' cross attention; `nil` collects none.
    public var attention: AttentionOptions?

    /// Creates a beam search; `beamSize` must be at least 1 and `nBest` at most `beamSize`.
    public init(
        beamSize: Int = 4, lengthPenalty: Float = 1, earlyStopping: EarlyStopping = .false,
        nBest: Int = 1, length: LengthLimit = LengthLimit(),
        processors: [any LogitProcessor] = [], attention: AttentionOptions? = nil
    ) {
        self.beamSize = beamSize
        self.lengthPenalty = lengthPenalty
        self.earlyStopping = earlyStopping
        self.nBest = nBest
        self.length = length
        self.processors = processors
        self.attention = attention
        validate()
    }

    private func validate() {
        precondition(beamSize >= 1, "BeamSearch: beamSize must be ≥ 1, got \(beamSize)")
        precondition(
            nBest >= 1 && nBest <= beamSize,
            "BeamSearch: nBest must be in 1...beamSize (\(beamSize)), got \(nBest)")
    }

    /// Searches for the `nBest` best outputs of `model` for each source.
    ///
    /// - Returns: Per source, `nBest` hypotheses, best first.
    /// - Complexity: O(limit × beamSize × vocabulary size) per source besides the model; the
    ///   per-step selection never sorts the vocabulary.
    public func search<Model: IncrementalDecoder>(
        _ model: Model, sources: [[Int32]]
    ) -> [SearchResult] {
        validate()
        var engine = BeamEngine(
            model: model,
            settings: BeamSettings(
                groups: 1, groupSize: beamSize, diversityPenalty: 0, lengthPenalty: lengthPenalty,
                earlyStopping: earlyStopping, nBest: nBest, length: length,
                processors: processors, attention: attention))
        return engine.search(sources: sources)
    }
}
