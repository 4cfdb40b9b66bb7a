import SeqTrain

/// A checkpoint's special ids and decoding defaults, as transformers 4.46 derives them.
///
/// The decoding settings come from `generation_config.json` when the folder has one (keys it
/// lacks take `GenerationConfig`'s defaults), else from the same keys in `config.json`
/// (`GenerationConfig.from_model_config`). The special ids fall back from
/// `generation_config.json` to `config.json`.
struct HuggingFaceGeneration {
    /// `decoder_start_token_id`.
    var startID: Int32
    /// `eos_token_id`.
    var endID: Int32
    /// `pad_token_id`.
    var padID: Int32
    /// Everything else `generate()` would use by default.
    var defaults: GenerationDefaults

    /// Reads the settings; `generation` is `nil` when the folder has no
    /// `generation_config.json`.
    ///
    /// - Throws: `InteropError` naming the file and key for a malformed value, a missing
    ///   special id, an `eos_token_id` list of several ids, or settings that contradict each
    ///   other.
    init(config: HuggingFaceConfig, generation: HuggingFaceConfig?) throws {
        func specialID(_ key: String) throws -> Int32 {
            let source = generation?.contains(key) == true ? generation ?? config : config
            guard let ids = try source.ids(key), let first = ids.first else {
                throw InteropError(
                    kind: .invalidFile, file: config.file,
                    detail: "`\(key)` is missing (here and in generation_config.json)")
            }
            guard ids.count == 1 else {
                throw InteropError(
                    kind: .unsupported, file: source.file,
                    detail: "`\(key)` lists \(ids.count) ids \(ids); one is supported")
            }
            return first
        }
        startID = try specialID("decoder_start_token_id")
        endID = try specialID("eos_token_id")
        padID = try specialID("pad_token_id")
        defaults = try Self.defaults(from: generation ?? config)
    }

    /// The decoding settings in `source`.
    private static func defaults(from source: HuggingFaceConfig) throws -> GenerationDefaults {
        var defaults = GenerationDefaults()
        defaults.beamSize = try source.int("num_beams") ?? 1
        defaults.groups = try source.int("num_beam_groups") ?? 1
        defaults.diversityPenalty = Float(try source.double("diversity_penalty") ?? 0)
        defaults.lengthPenalty = Float(try source.double("length_penalty") ?? 1)
        let stopping = try source.stoppingRule("early_stopping") ?? "false"
        defaults.earlyStopping = GenerationDefaults.Stopping(rawValue: stopping) ?? .false
        defaults.nBest = try source.int("num_return_sequences") ?? 1
        // An encoder–decoder's `max_length` and `min_length` count the start token.
        let maxLength = try source.int("max_length") ?? 20
        defaults.maxNewTokens = try source.int("max_new_tokens") ?? maxLength - 1
        let minLength = try source.int("min_length") ?? 0
        defaults.minNewTokens = try source.int("min_new_tokens") ?? max(0, minLength - 1)
        defaults.noRepeatNGramSize = try source.int("no_repeat_ngram_size") ?? 0
        defaults.repetitionPenalty = Float(try source.double("repetition_penalty") ?? 1)
        defaults.badWords = try source.idSequences("bad_words_ids") ?? []
        defaults.forcedFirstID = try source.ids("forced_bos_token_id")?.first
        defaults.forcedLastID = try source.ids("forced_eos_token_id")?.first
        do {
            try defaults.validate()
        } catch {
            throw InteropError(
                kind: .invalidFile, file: source.file,
                detail: "the generation settings do not fit together: \(error)")
        }
        return defaults
    }
}
