import SeqDecode
import SeqModels

/// The decoding settings a model directory suggests, such as those of an imported Hugging Face
/// checkpoint's `generation_config.json`; `seq2seq translate`, `generate` and `evaluate` start
/// from them, and their search options override them.
///
/// The start, end and padding ids are the model's own (`TransformerConfig.startID`, `endID`,
/// `padID`, Hugging Face's `decoder_start_token_id`, `eos_token_id`, `pad_token_id`). Every
/// field has a default, so a config may name only what it changes; unknown keys are errors.
///
/// ```json
/// {"beamSize": 4, "maxNewTokens": 512, "badWords": [[58100]]}
/// ```
public struct GenerationDefaults: Codable, Sendable, Equatable {
    /// When beam search stops working on a source, as Hugging Face's `early_stopping`.
    public enum Stopping: String, Codable, Sendable, CaseIterable {
        /// As soon as `beamSize` hypotheses have finished.
        case `true`
        /// When the worst finished score beats the best running one, length-normalised now.
        case `false`
        /// Only when no live beam can win.
        case never

        /// The search setting.
        public var earlyStopping: EarlyStopping {
            switch self {
            case .true: .true
            case .false: .false
            case .never: .never
            }
        }
    }

    /// Beams per source; 1 is greedy search (`num_beams`, default 1).
    public var beamSize = 1
    /// Diverse beam search groups, dividing `beamSize` (`num_beam_groups`, default 1).
    public var groups = 1
    /// The Hamming diversity strength between groups (`diversity_penalty`, default 0).
    public var diversityPenalty: Float = 0
    /// The exponent of the length normalisation (`length_penalty`, default 1).
    public var lengthPenalty: Float = 1
    /// When a beam search stops (`early_stopping`, default `false`).
    public var earlyStopping = Stopping.false
    /// Hypotheses returned per source, at most `beamSize` (`num_return_sequences`, default 1).
    public var nBest = 1
    /// The most tokens generated per source, the end token included (`max_new_tokens`, or
    /// `max_length` − 1 for an encoder–decoder; default 128).
    public var maxNewTokens = 128
    /// Tokens generated before the end token is allowed (`min_new_tokens`, or `min_length` − 1;
    /// default 0).
    public var minNewTokens = 0
    /// Banned repeated n-gram length, 0 for none (`no_repeat_ngram_size`, default 0).
    public var noRepeatNGramSize = 0
    /// The CTRL repetition penalty, 1 for none (`repetition_penalty`, default 1).
    public var repetitionPenalty: Float = 1
    /// Banned token sequences (`bad_words_ids`, default none).
    public var badWords: [[Int32]] = []
    /// A token forced first (`forced_bos_token_id`, such as an mBART language code).
    public var forcedFirstID: Int32? = nil
    /// A token forced at the length limit (`forced_eos_token_id`).
    public var forcedLastID: Int32? = nil
    /// Whether to sample instead of searching (`do_sample`, default `false`); sampling takes
    /// one beam and draws `nBest` independent samples per source.
    public var sample = false
    /// Sampling temperature, > 0 (`temperature`, default 1).
    public var temperature: Float = 1
    /// Sampling keeps only the `topK` most probable tokens, 0 for all (`top_k`; default 0,
    /// where Hugging Face's is 50).
    public var topK = 0
    /// Sampling keeps the smallest set of tokens whose mass reaches `topP`, in (0, 1]
    /// (`top_p`, default 1).
    public var topP: Float = 1
    /// Sampling keeps tokens at least `minP` times as probable as the best one, in [0, 1]
    /// (`min_p`, default 0).
    public var minP: Float = 0

    /// Settings with every default: greedy search of at most 128 tokens.
    public init() {}

    /// The keys a config may use: the property names.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case beamSize, groups, diversityPenalty, lengthPenalty, earlyStopping, nBest
        case maxNewTokens, minNewTokens, noRepeatNGramSize, repetitionPenalty, badWords
        case forcedFirstID, forcedLastID, sample, temperature, topK, topP, minP
    }

    /// Decodes settings in which every key is optional, then validates them.
    ///
    /// - Throws: `ConfigError` naming the key: unknown keys, wrong types, and the
    ///   contradictions `validate()` finds.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let defaults = GenerationDefaults()
        func value<Value: Decodable>(_ key: CodingKeys, _ path: KeyPath<Self, Value>) throws
            -> Value
        {
            try container.decode(forKey: key, default: defaults[keyPath: path])
        }
        beamSize = try value(.beamSize, \.beamSize)
        groups = try value(.groups, \.groups)
        diversityPenalty = try value(.diversityPenalty, \.diversityPenalty)
        lengthPenalty = try value(.lengthPenalty, \.lengthPenalty)
        earlyStopping = try container.decode(forKey: .earlyStopping, default: .false)
        nBest = try value(.nBest, \.nBest)
        maxNewTokens = try value(.maxNewTokens, \.maxNewTokens)
        minNewTokens = try value(.minNewTokens, \.minNewTokens)
        noRepeatNGramSize = try value(.noRepeatNGramSize, \.noRepeatNGramSize)
        repetitionPenalty = try value(.repetitionPenalty, \.repetitionPenalty)
        badWords = try value(.badWords, \.badWords)
        forcedFirstID = try value(.forcedFirstID, \.forcedFirstID)
        forcedLastID = try value(.forcedLastID, \.forcedLastID)
        sample = try value(.sample, \.sample)
        temperature = try value(.temperature, \.temperature)
        topK = try value(.topK, \.topK)
        topP = try value(.topP, \.topP)
        minP = try value(.minP, \.minP)
        do {
            try validate()
        } catch let error as ConfigError {
            throw error.prefixed(by: decoder.codingPath)
        }
    }

    /// Checks that the settings are in range and agree with each other.
    ///
    /// - Throws: `ConfigError` naming the first offending key.
    public func validate() throws {
        func require(_ condition: Bool, _ key: String, _ detail: String) throws {
            guard condition else { throw ConfigError(key: key, detail: detail) }
        }
        try require(beamSize >= 1, "beamSize", "= \(beamSize) must be at least 1")
        try require(
            groups >= 1 && beamSize.isMultiple(of: groups), "groups",
            "= \(groups) must divide `beamSize` = \(beamSize)")
        try require(
            diversityPenalty >= 0, "diversityPenalty", "= \(diversityPenalty) is negative")
        try require(
            !sample || beamSize == 1, "sample",
            "= true takes one beam; `beamSize` = \(beamSize) (beam search with sampling is not "
                + "supported)")
        try require(
            sample ? nBest >= 1 : (1...beamSize).contains(nBest), "nBest",
            sample
                ? "= \(nBest) must be at least 1"
                : "= \(nBest) must be in 1...`beamSize` (\(beamSize))")
        try require(temperature > 0, "temperature", "= \(temperature) must be positive")
        try require(topK >= 0, "topK", "= \(topK) is negative")
        try require(topP > 0 && topP <= 1, "topP", "= \(topP) must be in (0, 1]")
        try require(minP >= 0 && minP <= 1, "minP", "= \(minP) must be in [0, 1]")
        try require(maxNewTokens >= 1, "maxNewTokens", "= \(maxNewTokens) must be at least 1")
        try require(minNewTokens >= 0, "minNewTokens", "= \(minNewTokens) is negative")
        try require(
            noRepeatNGramSize >= 0, "noRepeatNGramSize", "= \(noRepeatNGramSize) is negative")
        try require(
            repetitionPenalty > 0, "repetitionPenalty", "= \(repetitionPenalty) must be positive")
        try require(
            badWords.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= 0 } }, "badWords",
            "= \(badWords) must hold non-empty sequences of non-negative ids")
    }

    /// The search these settings describe, with Hugging Face's logit processors in its
    /// order (repetition penalty, repeated n-grams, bad words, forced first and last token),
    /// then `extraProcessors`.
    ///
    /// As Hugging Face, bad-word entries that are just `endID` are dropped.
    ///
    /// - Parameters:
    ///   - endID: The model's end id.
    ///   - sourceLengthFactor: With `sourceLengthOffset`, a per-source limit of
    ///     `⌊a · source length⌋ + b` tokens below `maxNewTokens` (`LengthLimit`), or `nil`.
    ///   - sourceLengthOffset: `b` of the per-source limit.
    ///   - seed: Fixes every draw when `sample` is set (the same seed gives the same samples).
    ///   - extraProcessors: Applied after the built-in ones, such as a `TargetPrefix`.
    /// - Returns: Greedy search, beam search, diverse beam search or sampling.
    public func strategy(
        endID: Int32, sourceLengthFactor: Float? = nil, sourceLengthOffset: Int = 0,
        seed: UInt64 = 0, extraProcessors: [any LogitProcessor] = []
    ) -> any SearchStrategy {
        var processors: [any LogitProcessor] = []
        if repetitionPenalty != 1 { processors.append(RepetitionPenalty(repetitionPenalty)) }
        if noRepeatNGramSize > 0 { processors.append(NoRepeatNGram(size: noRepeatNGramSize)) }
        let banned = badWords.filter { $0 != [endID] }
        if !banned.isEmpty { processors.append(BadWords(banned)) }
        if let forcedFirstID { processors.append(ForcedBOSToken(forcedFirstID)) }
        if let forcedLastID { processors.append(ForcedEOSToken(forcedLastID)) }
        processors += extraProcessors
        let length = LengthLimit(
            maxNewTokens: maxNewTokens, minNewTokens: minNewTokens,
            sourceLengthFactor: sourceLengthFactor, sourceLengthOffset: sourceLengthOffset)
        if sample {
            return Sampling(
                temperature: temperature, topK: topK, topP: topP, minP: minP, seed: seed,
                samples: nBest, length: length, processors: processors)
        }
        if beamSize == 1 { return GreedySearch(length: length, processors: processors) }
        if groups > 1 {
            return DiverseBeamSearch(
                beamSize: beamSize, groups: groups, diversityPenalty: diversityPenalty,
                lengthPenalty: lengthPenalty, earlyStopping: earlyStopping.earlyStopping,
                nBest: nBest, length: length, processors: processors)
        }
        return BeamSearch(
            beamSize: beamSize, lengthPenalty: lengthPenalty,
            earlyStopping: earlyStopping.earlyStopping, nBest: nBest, length: length,
            processors: processors)
    }
}
