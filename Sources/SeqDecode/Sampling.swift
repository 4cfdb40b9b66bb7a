import SeqModels

/// Ancestral sampling with temperature, top-k, top-p (nucleus) and min-p truncation.
///
/// At every step the processed log-probabilities are divided by `temperature`; then, in
/// Hugging Face's order, only the `topK` best tokens are kept (ties with the k-th kept), then
/// the smallest best-first set whose probability reaches `topP`, then the tokens whose
/// probability is at least `minP` times the best one's; a token is drawn from the rest in
/// proportion to its renormalised probability.
///
/// Draws come from a SplitMix64 `SeededGenerator` per sample, seeded from `seed` and the
/// source's ids, so the same seed gives the same outputs, and a source's samples do not depend
/// on the other sources of the call or on their order. (They do not reproduce PyTorch's
/// random stream.)
public struct Sampling: SearchStrategy {
    /// Divides the log-probabilities (> 0; below 1 sharpens, above 1 flattens).
    public var temperature: Float
    /// Keep only the `topK` most probable tokens; 0 keeps all.
    public var topK: Int
    /// Keep the smallest set of most probable tokens whose mass reaches `topP`, in (0, 1];
    /// 1 keeps all.
    public var topP: Float
    /// Keep tokens at least `minP` times as probable as the best one, in [0, 1]; 0 keeps all.
    public var minP: Float
    /// Fixes every draw.
    public var seed: UInt64
    /// Independent samples per source, all returned (best score first).
    public var samples: Int
    /// How many tokens each source may generate.
    public var length: LengthLimit
    /// Applied in order at every step, before the temperature.
    public var processors: [any LogitProcessor]
    /// Whether to collect each sample's cross attention; `nil` collects none.
    public var attention: AttentionOptions?

    /// Creates a sampler.
    public init(
        temperature: Float = 1, topK: Int = 0, topP: Float = 1, minP: Float = 0, seed: UInt64,
        samples: Int = 1, length: LengthLimit = LengthLimit(),
        processors: [any LogitProcessor] = [], attention: AttentionOptions? = nil
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.seed = seed
        self.samples = samples
        self.length = length
        self.processors = processors
        self.attention = attention
        validate()
    }

    private func validate() {
        precondition(temperature > 0, "Sampling: temperature must be > 0, got \(temperature)")
        precondition(topK >= 0, "Sampling: topK must be ≥ 0, got \(topK)")
        precondition(topP > 0 && topP <= 1, "Sampling: topP must be in (0, 1], got \(topP)")
        precondition(minP >= 0 && minP <= 1, "Sampling: minP must be in [0, 1], got \(minP)")
        precondition(samples >= 1, "Sampling: samples must be ≥ 1, got \(samples)")
    }

    /// Draws `samples` outputs for every source.
    ///
    /// - Returns: Per source, its samples ordered by score (sum of processed
    ///   log-probabilities), best first.
    public func search<Model: IncrementalDecoder>(
        _ model: Model, sources: [[Int32]]
    ) -> [SearchResult] {
        validate()
        var engine = RowEngine(
            model: model, length: length, processors: processors, samplesPerSource: samples,
            sampler: TokenSampler(temperature: temperature, topK: topK, topP: topP, minP: minP),
            seed: seed, attention: attention)
        return engine.search(sources: sources)
    }
}
