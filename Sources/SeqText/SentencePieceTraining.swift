import CSentencePiece
import Foundation

/// Settings for training a SentencePiece model (the flags of `spm_train` that matter here).
///
/// Training is deterministic: the same sentences, options and `threadCount` give the same model.
/// The default special ids match `CharacterTokenizer` and `WhitespaceTokenizer`
/// (pad 0, start 1, end 2, unknown 3), not `spm_train`'s (unknown 0, start 1, end 2, no pad).
public struct SentencePieceTrainingOptions: Sendable, Hashable {
    /// The segmentation algorithm.
    public enum ModelType: String, Sendable, Hashable, Codable {
        /// Unigram language model (Kudo 2018), SentencePiece's default.
        case unigram
        /// Byte-pair encoding (Sennrich et al. 2016).
        case bpe
        /// One piece per character.
        case character = "char"
        /// One piece per whitespace-separated word.
        case word
    }

    /// The number of pieces, special and user-defined ones included.
    public var vocabularySize: Int
    /// The segmentation algorithm.
    public var modelType: ModelType
    /// The fraction of characters the vocabulary must cover; rarer characters become unknown.
    ///
    /// 0.9995 suits alphabetic languages, 1.0 small alphabets, 0.9995–0.99995 CJK.
    public var characterCoverage: Double
    /// Pieces always kept whole, such as `"<sep>"`; they get the ids right after the specials.
    public var userDefinedSymbols: [String]
    /// The id of `<pad>`, or `nil` for none.
    public var padID: Int32?
    /// The id of `<s>`, or `nil` for none.
    public var startID: Int32?
    /// The id of `</s>`, or `nil` for none.
    public var endID: Int32?
    /// The id of `<unk>`; SentencePiece always has one.
    public var unknownID: Int32
    /// When set, train on at most this many sentences, drawn uniformly with `seed`.
    public var maxSentences: Int?
    /// Seeds the sampling of `maxSentences` sentences.
    public var seed: UInt64
    /// Sentences longer than this many UTF-8 bytes are skipped.
    public var maxSentenceLength: Int
    /// When `false`, a corpus too small for `vocabularySize` yields a smaller vocabulary
    /// instead of an error.
    public var hardVocabularyLimit: Bool
    /// Spell characters outside the vocabulary as UTF-8 byte pieces instead of `<unk>`.
    public var byteFallback: Bool
    /// Training threads; the model can change slightly with the thread count.
    public var threadCount: Int

    /// Options with SentencePiece's defaults, the special ids above and one thread.
    public init(vocabularySize: Int, modelType: ModelType = .unigram) {
        self.vocabularySize = vocabularySize
        self.modelType = modelType
        characterCoverage = 0.9995
        userDefinedSymbols = []
        padID = 0
        startID = 1
        endID = 2
        unknownID = 3
        maxSentences = nil
        seed = 0
        maxSentenceLength = 4192
        hardVocabularyLimit = true
        byteFallback = false
        threadCount = 1
    }

    /// The options as `SentencePieceTrainer` flags.
    func trainerFlags() throws -> [(String, String)] {
        for symbol in userDefinedSymbols where symbol.isEmpty || symbol.contains(",") {
            throw TokenizerError(
                kind: .invalidOptions, file: nil,
                detail: "user-defined symbol \"\(symbol)\" must be non-empty and contain no comma")
        }
        guard threadCount >= 1 else {
            throw TokenizerError(
                kind: .invalidOptions, file: nil,
                detail: "threadCount is \(threadCount), expected at least 1")
        }
        if let maxSentences, maxSentences < 1 {
            throw TokenizerError(
                kind: .invalidOptions, file: nil,
                detail: "maxSentences is \(maxSentences), expected at least 1")
        }
        var flags = [
            ("vocab_size", String(vocabularySize)),
            ("model_type", modelType.rawValue),
            ("character_coverage", String(characterCoverage)),
            ("pad_id", String(padID ?? -1)),
            ("bos_id", String(startID ?? -1)),
            ("eos_id", String(endID ?? -1)),
            ("unk_id", String(unknownID)),
            ("max_sentence_length", String(maxSentenceLength)),
            ("hard_vocab_limit", String(hardVocabularyLimit)),
            ("byte_fallback", String(byteFallback)),
            ("num_threads", String(threadCount)),
            // Sampling happens on the Swift side with a seeded generator, so the trainer keeps
            // every sentence it is given and never shuffles.
            ("input_sentence_size", "0"),
            ("shuffle_input_sentence", "false"),
            ("minloglevel", "2"),
        ]
        if !userDefinedSymbols.isEmpty {
            flags.append(("user_defined_symbols", userDefinedSymbols.joined(separator: ",")))
        }
        return flags
    }
}

extension SentencePieceTokenizer {
    /// Trains a model on `sentences` (one training sentence each; empty ones are skipped).
    public static func train(
        sentences: [String], options: SentencePieceTrainingOptions
    ) throws -> SentencePieceTokenizer {
        var sampler = SentenceSampler(limit: options.maxSentences, seed: options.seed)
        for sentence in sentences { sampler.add(sentence) }
        return try train(sampled: sampler.sentences, options: options)
    }

    /// Trains a model on the lines of `files` (UTF-8, gzip read transparently).
    public static func train(
        files: [URL], options: SentencePieceTrainingOptions
    ) throws -> SentencePieceTokenizer {
        var sampler = SentenceSampler(limit: options.maxSentences, seed: options.seed)
        for file in files {
            let reader = try LineReader(contentsOf: file)
            while let line = try reader.nextLine() { sampler.add(line) }
        }
        return try train(sampled: sampler.sentences, options: options)
    }

    private static func train(
        sampled sentences: [String], options: SentencePieceTrainingOptions
    ) throws -> SentencePieceTokenizer {
        let flags = try options.trainerFlags()
        guard !sentences.isEmpty else {
            throw TokenizerError(
                kind: .trainingFailed, file: nil, detail: "no non-empty training sentences")
        }
        // One contiguous UTF-8 buffer with per-sentence lengths; keys and values as C strings.
        var bytes: [CChar] = []
        var lengths: [Int] = []
        lengths.reserveCapacity(sentences.count)
        for sentence in sentences {
            bytes.append(contentsOf: sentence.utf8.map { CChar(bitPattern: $0) })
            lengths.append(sentence.utf8.count)
        }
        let keys = flags.map { strdup($0.0) }
        let values = flags.map { strdup($0.1) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        var error: UnsafeMutablePointer<CChar>?
        let trained = bytes.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var starts: [UnsafePointer<CChar>?] = []
            starts.reserveCapacity(lengths.count)
            var offset = 0
            for length in lengths {
                starts.append(buffer.baseAddress.map { $0 + offset })
                offset += length
            }
            let keyPointers = keys.map { UnsafePointer($0) }
            let valuePointers = values.map { UnsafePointer($0) }
            return spshim_train(
                keyPointers, valuePointers, flags.count, starts, lengths, lengths.count, &error)
        }
        guard let trained else {
            throw TokenizerError(kind: .trainingFailed, file: nil, detail: takeMessage(error))
        }
        return SentencePieceTokenizer(handle: trained)
    }
}

/// Keeps the non-empty sentences, or a uniform sample of `limit` of them in their original order
/// (reservoir sampling with a seeded generator, so the sample depends only on the seed).
private struct SentenceSampler {
    private let limit: Int?
    private var generator: SplitMix64
    private var seen = 0
    private var kept: [(index: Int, sentence: String)] = []

    init(limit: Int?, seed: UInt64) {
        self.limit = limit
        generator = SplitMix64(seed: seed)
    }

    mutating func add(_ sentence: String) {
        guard !sentence.isEmpty else { return }
        defer { seen += 1 }
        guard let limit, kept.count >= limit else {
            kept.append((seen, sentence))
            return
        }
        let slot = generator.next(below: seen + 1)
        if slot < limit { kept[slot] = (seen, sentence) }
    }

    var sentences: [String] { kept.sorted { $0.index < $1.index }.map(\.sentence) }
}
