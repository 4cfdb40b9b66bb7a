import SeqModels

/// Diverse beam search with Hamming diversity, exactly as Hugging Face's group beam search.
///
/// Vijayakumar and others (2016), as implemented by `generate()` in transformers 4.46.
///
/// The `beamSize` beams form `groups` groups of `beamSize / groups`; in each group only the
/// first beam starts at score 0 (the others at -1e9). At every step the groups advance one
/// after another; for group g > 0 each token's log-probability is first reduced by
/// `diversityPenalty × (times the token was chosen at this step by groups 0..<g of the same
/// source)`, then the logit processors run, then the group takes one `BeamSearch` step of its
/// own width with its own finished list and stopping rule. The penalties accumulate in the
/// running scores, so `Hypothesis.score` includes them (`sumLogProbabilities` does not). A
/// finished group counts as choosing the padding token for the later groups. At the end the
/// finished lists of all groups are merged, and two groups may return the same tokens.
public struct DiverseBeamSearch: SearchStrategy {
    /// Hypotheses kept per source, over all groups (a multiple of `groups`).
    public var beamSize: Int
    /// Number of groups G (divides `beamSize`); `beamSize` groups of one beam is the paper's
    /// setting.
    public var groups: Int
    /// λ ≥ 0, the Hamming diversity strength.
    public var diversityPenalty: Float
    /// Exponent α in the normalisation `score / length^α`.
    public var lengthPenalty: Float
    /// When to stop a group.
    public var earlyStopping: EarlyStopping
    /// Hypotheses returned per source (≤ `beamSize`).
    public var nBest: Int
    /// How many tokens each source may generate.
    public var length: LengthLimit
    /// Applied in order at every step, after the diversity penalty.
    public var processors: [any LogitProcessor]
    /// Whether to collect each hypothesis' cross attention; `nil` collects none.
    public var attention: AttentionOptions?

    /// Creates a diverse beam search; `groups` must divide `beamSize`.
    public init(
        beamSize: Int, groups: Int, diversityPenalty: Float, lengthPenalty: Float = 1,
        earlyStopping: EarlyStopping = .false, nBest: Int = 1,
        length: LengthLimit = LengthLimit(), processors: [any LogitProcessor] = [],
        attention: AttentionOptions? = nil
    ) {
        self.beamSize = beamSize
        self.groups = groups
        self.diversityPenalty = diversityPenalty
        self.lengthPenalty = lengthPenalty
        self.earlyStopping = earlyStopping
        self.nBest = nBest
        self.length = length
        self.processors = processors
        self.attention = attention
        validate()
    }

    private func validate() {
        precondition(beamSize >= 1, "DiverseBeamSearch: beamSize must be ≥ 1, got \(beamSize)")
        precondition(
            groups >= 1 && beamSize % groups == 0,
            "DiverseBeamSearch: groups (\(groups)) must divide beamSize (\(beamSize))")
        precondition(
            diversityPenalty >= 0,
            "DiverseBeamSearch: diversityPenalty must be ≥ 0, got \(diversityPenalty)")
        precondition(
            nBest >= 1 && nBest <= beamSize,
            "DiverseBeamSearch: nBest must be in 1...beamSize (\(beamSize)), got \(nBest)")
    }

    /// Searches for `nBest` diverse outputs of `model` for each source.
    ///
    /// - Returns: Per source, `nBest` hypotheses from all groups, best score first.
    public func search<Model: IncrementalDecoder>(
        _ model: Model, sources: [[Int32]]
    ) -> [SearchResult] {
        validate()
        var engine = BeamEngine(
            model: model,
            settings: BeamSettings(
                groups: groups, groupSize: beamSize / groups, diversityPenalty: diversityPenalty,
                lengthPenalty: lengthPenalty, earlyStopping: earlyStopping, nBest: nBest,
                length: length, processors: processors, attention: attention))
        return engine.search(sources: sources)
    }
}
