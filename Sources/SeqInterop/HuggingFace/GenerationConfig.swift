import SeqTrain

/// A checkpoint's special ids and decoding defaults, from `generation_config.json`, falling
/// back key by key to `config.json` and then to the defaults of transformers 4.46's
/// `GenerationConfig`.
struct HuggingFaceGeneration {
    /// `decoder_start_token_id`.
    var startID: Int32
    /// `eos_token_id` (the first, when it is a list).
    var endID: Int32
    /// `pad_token_id`.
    var padID: Int32
    /// Everything else `generate()` would use by default.
    var defaults: GenerationDefaults

    /// Reads the settings.
    ///
    /// - Throws: `InteropError` naming the file and key for a malformed value, a missing
    ///   special id, or an `eos_token_id` list of several ids.
    init(config: HuggingFaceConfig, generation: HuggingFaceConfig) throws {
        func setting<Value>(_ key: String, _ read: (HuggingFaceConfig) throws -> Value?) throws
            -> Value?
        {
            try read(generation) ?? read(config)
        }
        func specialID(_ key: String) throws -> Int32 {
            guard let ids = try setting(key, { try $0.ids(key) }), let first = ids.first else {
                throw InteropError(
                    kind: .invalidFile, file: config.file,
                    detail: "`\(key)` is missing here and in generation_config.json")
            }
            guard ids.count == 1 else {
                throw InteropError(
                    kind: .unsupported, file: generation.contains(key) ? generation.file : config.file,
                    detail: "`\(key)` lists \(ids.count) ids \(ids); one is supported")
            }
            return first
        }
        startID = try specialID("decoder_start_token_id")
        endID = try specialID("eos_token_id")
        padID = try specialID("pad_token_id")

        var defaults = GenerationDefaults()
        defaults.beamSize = try setting("num_beams") { try $0.int("num_beams") } ?? 1
        defaults.groups = try setting("num_beam_groups") { try $0.int("num_beam_groups") } ?? 1
        defaults.diversityPenalty = Float(
            try setting("diversity_penalty") { try $0.double("diversity_penalty") } ?? 0)
        defaults.lengthPenalty = Float(
            try setting("length_penalty") { try $0.double("length_penalty") } ?? 1)
        let stopping = try setting("early_stopping") { try $0.stoppingRule("early_stopping") }
        defaults.earlyStopping = stopping.flatMap(GenerationDefaults.Stopping.init) ?? .false
        defaults.nBest =
            try setting("num_return_sequences") { try $0.int("num_return_sequences") } ?? 1
        // An encoder–decoder's `max_length` and `min_length` count the start token.
        if let maxNewTokens = try setting("max_new_tokens", { try $0.int("max_new_tokens") }) {
            defaults.maxNewTokens = maxNewTokens
        } else {
            defaults.maxNewTokens = (try setting("max_length") { try $0.int("max_length") } ?? 20) - 1
        }
        if let minNewTokens = try setting("min_new_tokens", { try $0.int("min_new_tokens") }) {
            defaults.minNewTokens = minNewTokens
        } else {
            defaults.minNewTokens = max(
                0, (try setting("min_length") { try $0.int("min_length") } ?? 0) - 1)
        }
        defaults.noRepeatNGramSize =
            try setting("no_repeat_ngram_size") { try $0.int("no_repeat_ngram_size") } ?? 0
        defaults.repetitionPenalty = Float(
            try setting("repetition_penalty") { try $0.double("repetition_penalty") } ?? 1)
        defaults.badWords = try setting("bad_words_ids") { try $0.idSequences("bad_words_ids") } ?? []
        defaults.forcedFirstID = try setting("forced_bos_token_id") {
            try $0.ids("forced_bos_token_id")
        }?.first
        defaults.forcedLastID = try setting("forced_eos_token_id") {
            try $0.ids("forced_eos_token_id")
        }?.first
        do {
            try defaults.validate()
        } catch {
            throw InteropError(
                kind: .invalidFile, file: generation.file,
                detail: "the generation settings do not fit together: \(error)")
        }
        self.defaults = defaults
    }
}
