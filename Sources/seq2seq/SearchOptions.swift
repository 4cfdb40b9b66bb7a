import ArgumentParser
import Seq2Seq

extension GenerationDefaults.Stopping: ExpressibleByArgument {}

/// The decoding options of `translate`, `generate` and `evaluate`.
///
/// Each option given overrides the model's generation defaults: an imported checkpoint's
/// `generation_config.json`, or for a trained model those of `SearchSettings.trainedModel`
/// (beam 5, early stopping, at most ⌊1.5 · source length⌋ + 10 tokens).
struct SearchOptions: ParsableArguments {
    @Option(help: "Beams per source; 1 is greedy search.")
    var beam: Int?

    @Option(help: "Diverse beam search: groups of beams (must divide --beam).")
    var groups: Int?

    @Option(help: "Diverse beam search: the Hamming diversity strength between groups.")
    var diversity: Float?

    @Option(
        help: ArgumentHelp(
            "Outputs per source, best first.",
            discussion: "The n-best list of beam search (at most --beam), or with --sample the "
                + "number of independent samples."))
    var nbest: Int?

    @Flag(help: "Sample instead of searching (one beam; --nbest N draws N samples).")
    var sample = false

    @Option(help: "With --sample: divide the log-probabilities by this (> 0).")
    var temperature: Float?

    @Option(help: "With --sample: keep only the K most probable tokens (0 keeps all).")
    var topK: Int?

    @Option(help: "With --sample: keep the most probable tokens up to this mass, in (0, 1].")
    var topP: Float?

    @Option(help: "With --sample: keep tokens at least this times as probable as the best.")
    var minP: Float?

    @Option(
        help: ArgumentHelp(
            "With --sample: the random seed; the same seed gives the same samples (default: "
                + "a new seed every run)."))
    var seed: UInt64?

    @Option(help: "Beam search: the exponent α of the normalisation score / length^α.")
    var lengthPenalty: Float?

    @Option(help: "Ban repeating any n-gram of this size (0 for none).")
    var noRepeatNgram: Int?

    @Option(help: "Most tokens generated per source, the end token included.")
    var maxNewTokens: Int?

    @Option(help: "Tokens generated before the end token is allowed.")
    var minNewTokens: Int?

    @Option(help: "Beam search: when a source stops.")
    var earlyStopping: GenerationDefaults.Stopping?

    @Option(help: "At most ⌊A × source length⌋ + B tokens per source: A (trained models: 1.5).")
    var maxLengthA: Float?

    @Option(help: "At most ⌊A × source length⌋ + B tokens per source: B (trained models: 10).")
    var maxLengthB: Int?

    @Option(help: "Sources decoded together.")
    var batchSize = 32

    /// Checks each option's range and the combinations that contradict whatever the model's
    /// defaults are.
    func validate() throws {
        try requireRange(beam, "--beam", "at least 1") { $0 >= 1 }
        try requireRange(groups, "--groups", "at least 1") { $0 >= 1 }
        try requireRange(diversity, "--diversity", "at least 0") { $0 >= 0 }
        try requireRange(nbest, "--nbest", "at least 1") { $0 >= 1 }
        try requireRange(temperature, "--temperature", "positive") { $0 > 0 }
        try requireRange(topK, "--top-k", "at least 0") { $0 >= 0 }
        try requireRange(topP, "--top-p", "in (0, 1]") { $0 > 0 && $0 <= 1 }
        try requireRange(minP, "--min-p", "in [0, 1]") { $0 >= 0 && $0 <= 1 }
        try requireRange(noRepeatNgram, "--no-repeat-ngram", "at least 0") { $0 >= 0 }
        try requireRange(maxNewTokens, "--max-new-tokens", "at least 1") { $0 >= 1 }
        try requireRange(minNewTokens, "--min-new-tokens", "at least 0") { $0 >= 0 }
        try requireRange(maxLengthA, "--max-length-a", "at least 0") { $0 >= 0 }
        try requireRange(maxLengthB, "--max-length-b", "at least 0") { $0 >= 0 }
        try requireRange(batchSize, "--batch-size", "at least 1") { $0 >= 1 }
        if sample {
            if let beam, beam > 1 {
                throw ValidationError(
                    "--sample draws one token at a time and cannot search with --beam \(beam); "
                        + "use --sample --nbest N for N samples")
            }
            let beamOnly: [(Bool, String)] = [
                (groups != nil, "--groups"), (diversity != nil, "--diversity"),
                (lengthPenalty != nil, "--length-penalty"),
                (earlyStopping != nil, "--early-stopping"),
            ]
            if let name = beamOnly.first(where: { $0.0 })?.1 {
                throw ValidationError("\(name) applies to beam search, not to --sample")
            }
        } else {
            let samplingOnly: [(Bool, String)] = [
                (temperature != nil, "--temperature"), (topK != nil, "--top-k"),
                (topP != nil, "--top-p"), (minP != nil, "--min-p"), (seed != nil, "--seed"),
            ]
            if let name = samplingOnly.first(where: { $0.0 })?.1 {
                throw ValidationError("\(name) only applies with --sample")
            }
        }
        if let beam, let groups, !beam.isMultiple(of: groups) {
            throw ValidationError("--groups \(groups) must divide --beam \(beam)")
        }
        if let beam, let nbest, !sample, nbest > beam {
            throw ValidationError(
                "--nbest \(nbest) exceeds --beam \(beam): beam search returns at most --beam "
                    + "outputs (or draw \(nbest) samples with --sample)")
        }
        if let minNewTokens, let maxNewTokens, minNewTokens > maxNewTokens {
            throw ValidationError(
                "--min-new-tokens \(minNewTokens) exceeds --max-new-tokens \(maxNewTokens)")
        }
    }

    /// The settings for `loaded`: its generation defaults with these options.
    ///
    /// - Throws: `ValidationError` naming the options that contradict the model's defaults.
    func settings(for loaded: LoadedModel) throws -> SearchSettings {
        try settings(over: SearchSettings.defaults(for: loaded))
    }

    /// `defaults` with these options applied.
    ///
    /// An option that changes the beam also narrows the defaults that no longer fit it (the
    /// number of outputs and groups), but never another option given.
    func settings(over defaults: SearchSettings) throws -> SearchSettings {
        var settings = defaults
        var generation = defaults.generation
        if sample {
            generation.sample = true
            generation.beamSize = 1
            generation.groups = 1
            if nbest == nil { generation.nBest = 1 }
        } else if beam != nil || groups != nil {
            generation.sample = false
        }
        if let beam {
            generation.beamSize = beam
            if nbest == nil { generation.nBest = min(generation.nBest, beam) }
            if groups == nil, !beam.isMultiple(of: generation.groups) { generation.groups = 1 }
        }
        if let groups { generation.groups = groups }
        if let diversity { generation.diversityPenalty = diversity }
        if let nbest { generation.nBest = nbest }
        if let temperature { generation.temperature = temperature }
        if let topK { generation.topK = topK }
        if let topP { generation.topP = topP }
        if let minP { generation.minP = minP }
        if let lengthPenalty { generation.lengthPenalty = lengthPenalty }
        if let noRepeatNgram { generation.noRepeatNGramSize = noRepeatNgram }
        if let maxNewTokens { generation.maxNewTokens = maxNewTokens }
        if let minNewTokens { generation.minNewTokens = minNewTokens }
        if let earlyStopping { generation.earlyStopping = earlyStopping }
        try checkAgainstModel(generation)
        settings.generation = generation
        if let maxLengthA { settings.sourceLengthFactor = maxLengthA }
        if let maxLengthB {
            settings.sourceLengthOffset = maxLengthB
            if settings.sourceLengthFactor == nil { settings.sourceLengthFactor = 0 }
        }
        if let seed { settings.seed = seed }
        return settings
    }

    /// Rejects options that contradict the resolved settings, naming the options.
    private func checkAgainstModel(_ generation: GenerationDefaults) throws {
        let beamSize = generation.beamSize
        if groups != nil || beam != nil, !beamSize.isMultiple(of: generation.groups) {
            throw ValidationError(
                "--groups \(generation.groups) must divide the beam size \(beamSize) (the "
                    + "model's default unless --beam is given)")
        }
        if diversity != nil, generation.groups == 1 {
            throw ValidationError("--diversity applies to diverse beam search: give --groups G > 1")
        }
        if !generation.sample, beamSize == 1 {
            if lengthPenalty != nil || earlyStopping != nil {
                let name = lengthPenalty != nil ? "--length-penalty" : "--early-stopping"
                throw ValidationError("\(name) applies to beam search: give --beam N > 1")
            }
        }
        if let nbest, !generation.sample, nbest > beamSize {
            throw ValidationError(
                "--nbest \(nbest) exceeds the beam size \(beamSize) (the model's default unless "
                    + "--beam is given): give --beam \(nbest) or more, or --sample")
        }
        if let minNewTokens, minNewTokens > generation.maxNewTokens {
            throw ValidationError(
                "--min-new-tokens \(minNewTokens) exceeds the limit of "
                    + "\(generation.maxNewTokens) new tokens")
        }
        do {
            try generation.validate()
        } catch let error as ConfigError {
            throw ValidationError("the generation settings do not fit together: \(error)")
        }
    }
}

/// Throws unless `value` is absent or satisfies `condition`.
private func requireRange<Value>(
    _ value: Value?, _ name: String, _ range: String, _ condition: (Value) -> Bool
) throws {
    if let value, !condition(value) {
        throw ValidationError("\(name) must be \(range), got \(value)")
    }
}
