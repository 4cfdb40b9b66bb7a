import Seq2Seq

/// Everything a command needs to build its search: the generation settings, the per-source
/// length limit and the sampling seed.
struct SearchSettings {
    /// The algorithm and its settings.
    var generation: GenerationDefaults
    /// `A` of the per-source limit `⌊A · source length⌋ + B`, or `nil` for none.
    var sourceLengthFactor: Float?
    /// `B` of the per-source limit.
    var sourceLengthOffset = 0
    /// Fixes every draw when sampling.
    var seed = UInt64.random(in: .min ... .max)
    /// Collects each output's cross attention (`--alignment`, `--output-attentions`), or
    /// `nil`.
    var attention: AttentionOptions?

    /// What a trained model (one without generation settings) decodes with: beam search of 5
    /// with early stopping, at most ⌊1.5 · source length⌋ + 10 tokens (and never more than
    /// 1024), as `translate` and `evaluate` always did.
    static var trainedModel: SearchSettings {
        var generation = GenerationDefaults()
        generation.beamSize = 5
        generation.earlyStopping = .true
        generation.maxNewTokens = 1024
        return SearchSettings(
            generation: generation, sourceLengthFactor: 1.5, sourceLengthOffset: 10)
    }

    /// An imported checkpoint's generation settings (no per-source limit), else
    /// `trainedModel`.
    static func defaults(for loaded: LoadedModel) -> SearchSettings {
        guard let generation = loaded.description.generation else { return trainedModel }
        return SearchSettings(generation: generation)
    }

    /// The search, forcing `prefixes[i]` as the start of source `i`'s outputs when given.
    func strategy(endID: Int32, prefixes: [[Int32]]? = nil) -> any SearchStrategy {
        var strategy = generation.strategy(
            endID: endID, sourceLengthFactor: sourceLengthFactor,
            sourceLengthOffset: sourceLengthOffset, seed: seed,
            extraProcessors: prefixes.map { [TargetPrefix(perSource: $0)] } ?? [])
        strategy.attention = attention
        return strategy
    }

    /// How many outputs each source gets: samples, or the n-best of a beam search.
    var outputsPerSource: Int { generation.nBest }
}
