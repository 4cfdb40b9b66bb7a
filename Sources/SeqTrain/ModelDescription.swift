import Foundation
import SeqModels
import SeqNN
import SeqTensor
import SeqText

/// How the tokenizer files of a model directory are read.
public enum TokenizerFormat: String, Codable, Sendable, CaseIterable {
    /// One SentencePiece model, `tokenizerFile`, whose piece ids are the model's ids (what
    /// `train` writes).
    case sentencepiece
    /// Marian's: `tokenizerFile` (the source SentencePiece model), `target.spm` and
    /// `vocab.json` (`MarianTokenizer`).
    case marian
    /// T5's: `tokenizerFile` (`spiece.model`) followed by `tokenizerExtraIDs` sentinels
    /// (`T5Tokenizer`).
    case t5
    /// BART's byte-level BPE: `tokenizerFile` (`vocab.json`) and `merges.txt`
    /// (`ByteLevelBPETokenizer`).
    case byteLevelBPE
    /// mBART's: `tokenizerFile` (`sentencepiece.bpe.model`) with fairseq's ids, language codes
    /// and `<mask>` (`MBartTokenizer`).
    case mbart
}

/// The `config.json` of a model directory: which family, its settings, and the tokenizer file.
///
/// A model directory (`best/`, `last/`, `averaged/`) holds `config.json`, `model.safetensors`
/// and `tokenizer.model` (SentencePiece); `translate`, `evaluate` and `serve` need nothing else.
/// `model` holds the settings of the family `architecture` names (a `TransformerConfig` or an
/// `RNNConfig`). Imported models (`seq2seq import hf`) also name their tokenizer format and
/// carry the checkpoint's generation settings; those keys are absent from trained models.
public struct ModelDescription: Codable, Sendable {
    /// Always `seq2seq`: marks the directory as ours.
    public var format = "seq2seq"
    /// The model family.
    public var architecture: Architecture
    /// The family's settings, vocabulary and special ids included.
    public var model: ModelConfig
    /// The tokenizer file inside the directory.
    public var tokenizerFile = tokenizerFileName
    /// How the tokenizer files are read; `nil` (absent) means `sentencepiece`.
    public var tokenizerFormat: TokenizerFormat?
    /// The number of T5 sentinel ids (`extra_ids`), for the `t5` format only.
    public var tokenizerExtraIDs: Int?
    /// The suggested decoding settings, or `nil` (absent) for the defaults.
    public var generation: GenerationDefaults?
    /// The language code appended to every source (after its end token), for the `mbart`
    /// format only, such as `en_XX`; `translate --source-lang` overrides it.
    public var sourceLanguage: String?

    /// Describes an encoder–decoder model with `model`'s settings whose tokenizer is read as
    /// `tokenizerFormat` from `tokenizerFile` (and the format's other files); `sourceLanguage`
    /// is the `mbart` format's default source language code.
    ///
    /// - Throws: `TrainingError` naming the key if `model` or `generation` is invalid.
    public init(
        model: TransformerConfig, tokenizerFile: String, tokenizerFormat: TokenizerFormat,
        tokenizerExtraIDs: Int? = nil, generation: GenerationDefaults? = nil,
        sourceLanguage: String? = nil
    ) throws {
        do {
            try model.validate()
            try generation?.validate()
        } catch let error as ConfigError {
            throw TrainingError(file: "model", detail: error.description)
        }
        architecture = .transformer
        self.model = .transformer(model)
        self.tokenizerFile = tokenizerFile
        self.tokenizerFormat = tokenizerFormat
        self.tokenizerExtraIDs = tokenizerExtraIDs
        self.generation = generation
        self.sourceLanguage = sourceLanguage
    }

    /// Describes a model of `architecture` with `model`'s settings over `tokenizer`'s
    /// vocabulary and special ids.
    ///
    /// - Throws: `TrainingError` if the tokenizer lacks a pad, start or end id, `model` is not
    ///   a config of `architecture`, or the resulting settings are contradictory (naming the
    ///   key).
    public init(architecture: Architecture, model: ModelConfig, tokenizer: any Tokenizer) throws {
        guard let pad = tokenizer.padID, let start = tokenizer.startID, let end = tokenizer.endID
        else {
            throw TrainingError(
                file: "tokenizer", detail: "needs pad, start and end ids for a translation model")
        }
        guard model.fits(architecture) else {
            throw TrainingError(
                file: "model", detail: "is not a config of `architecture` \(architecture.rawValue)")
        }
        self.architecture = architecture
        switch model {
        case .transformer(var settings):
            settings.vocabularySize = tokenizer.vocabularySize
            settings.sourceVocabularySize = nil
            (settings.padID, settings.startID, settings.endID) = (pad, start, end)
            if architecture == .transformerLM {
                guard let separator = (tokenizer as? SentencePieceTokenizer)?.id(of: "<sep>")
                else {
                    throw TrainingError(
                        file: "tokenizer",
                        detail:
                            "a decoder-only model needs a `<sep>` piece (tokenizer.userDefinedSymbols)"
                    )
                }
                settings.separatorID = separator
            }
            self.model = .transformer(settings)
        case .rnn(var settings):
            settings.vocabularySize = tokenizer.vocabularySize
            settings.sourceVocabularySize = nil
            (settings.padID, settings.startID, settings.endID) = (pad, start, end)
            self.model = .rnn(settings)
        }
        do {
            try self.model.validate()
        } catch let error as ConfigError {
            throw TrainingError(file: "model", detail: error.description)
        }
    }

    /// A freshly initialised model of this description.
    ///
    /// - Throws: `TrainingError` if `model` is not a config of `architecture`.
    public func makeModel(using generator: inout SeededGenerator) throws -> any TranslationModel {
        switch (architecture, model) {
        case (.transformer, .transformer(let config)):
            return TransformerSeq2Seq(config: config, using: &generator)
        case (.transformerLM, .transformer(let config)):
            return TransformerLM(config: config, using: &generator)
        case (.rnn, .rnn(let config)):
            return RNNSeq2Seq(config: config, using: &generator)
        default:
            throw TrainingError(
                file: "model", detail: "is not a config of `architecture` \(architecture.rawValue)")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case format, architecture, model, tokenizerFile, tokenizerFormat, tokenizerExtraIDs
        case generation
    }

    /// Decodes a description, reading `model` as the config of `architecture`.
    ///
    /// - Throws: `ConfigError` or `DecodingError` naming the key.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        architecture = try container.decode(Architecture.self, forKey: .architecture)
        guard container.contains(.model) else {
            throw DecodingError.keyNotFound(
                CodingKeys.model,
                DecodingError.Context(
                    codingPath: container.codingPath, debugDescription: "required"))
        }
        model = try ModelConfig(from: container, forKey: .model, architecture: architecture)
        tokenizerFile = try container.decode(String.self, forKey: .tokenizerFile)
        tokenizerFormat = try container.decodeIfPresent(
            TokenizerFormat.self, forKey: .tokenizerFormat)
        tokenizerExtraIDs = try container.decodeIfPresent(Int.self, forKey: .tokenizerExtraIDs)
        generation = try container.decodeIfPresent(GenerationDefaults.self, forKey: .generation)
    }

    /// Encodes every key, `model` as the family's config; absent optionals are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(architecture, forKey: .architecture)
        try model.encode(to: &container, forKey: .model)
        try container.encode(tokenizerFile, forKey: .tokenizerFile)
        try container.encodeIfPresent(tokenizerFormat, forKey: .tokenizerFormat)
        try container.encodeIfPresent(tokenizerExtraIDs, forKey: .tokenizerExtraIDs)
        try container.encodeIfPresent(generation, forKey: .generation)
    }

    /// `config.json` and the tokenizer file, as a checkpoint stores them.
    func files(tokenizer: SentencePieceTokenizer) throws -> (config: Data, extra: [String: Data]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try encoder.encode(self), [tokenizerFile: tokenizer.serialized()])
    }
}

/// A model directory loaded for inference.
public struct LoadedModel {
    /// The model, in evaluation mode.
    public let model: any TranslationModel
    /// Its tokenizer: `encode` gives source ids, `decode` reads target ids.
    public let tokenizer: any Tokenizer
    /// Its description (`config.json`).
    public let description: ModelDescription

    /// Loads the model directory at `directory`.
    ///
    /// - Throws: `TrainingError` or `CheckpointError` naming the missing or invalid file.
    public init(contentsOf directory: URL) throws {
        let configURL = directory.appendingPathComponent(Checkpoint.configFile)
        guard FileManager.default.fileExists(atPath: directory.path) else {
            throw TrainingError(file: directory.path, detail: "no such model directory")
        }
        let checkpoint = try Checkpoint.read(from: directory)
        guard let configData = checkpoint.config else {
            throw TrainingError(file: configURL.path, detail: "missing: not a model directory")
        }
        do {
            description = try JSONDecoder().decode(ModelDescription.self, from: configData)
        } catch let error as DecodingError {
            throw TrainingError(file: configURL.path, detail: describe(error))
        } catch {
            throw TrainingError(file: configURL.path, detail: "\(error)")
        }
        tokenizer = try description.loadTokenizer(files: checkpoint.extraFiles, in: directory)
        var generator = SeededGenerator(seed: 0)
        model = try description.makeModel(using: &generator)
        try model.load(
            checkpoint.weights,
            from: directory.appendingPathComponent(Checkpoint.weightsFile).path)
        model.setTraining(false)
    }
}

extension ModelDescription {
    /// The tokenizer described, read from the directory's `files` by name.
    ///
    /// - Parameters:
    ///   - files: The directory's files by name (`Checkpoint.extraFiles`).
    ///   - directory: The directory, for messages.
    /// - Returns: The tokenizer: `encode` gives source ids, `decode` reads target ids.
    /// - Throws: `TrainingError` naming a missing file, or the tokenizer's error naming a
    ///   corrupt one.
    public func loadTokenizer(files: [String: Data], in directory: URL) throws -> any Tokenizer {
        func file(_ name: String) throws -> Data {
            guard let data = files[name] else {
                throw TrainingError(
                    file: directory.appendingPathComponent(name).path, detail: "missing tokenizer")
            }
            return data
        }
        switch tokenizerFormat ?? .sentencepiece {
        case .sentencepiece:
            return try SentencePieceTokenizer(serialized: file(tokenizerFile))
        case .marian:
            return try MarianTokenizer(
                source: file(tokenizerFile), target: file(MarianTokenizer.targetFile),
                vocabulary: file(MarianTokenizer.vocabularyFile))
        case .t5:
            let extraIDs = tokenizerExtraIDs ?? 0
            let model = try SentencePieceTokenizer(serialized: file(tokenizerFile))
            guard model.vocabularySize + extraIDs <= self.model.vocabularySize else {
                throw TrainingError(
                    file: directory.appendingPathComponent(tokenizerFile).path,
                    detail:
                        "\(model.vocabularySize) pieces and \(extraIDs) extra ids exceed the model's vocabulary of \(self.model.vocabularySize)"
                )
            }
            return T5Tokenizer(
                model: model, extraIDCount: extraIDs, vocabularySize: self.model.vocabularySize)
        case .byteLevelBPE:
            return try ByteLevelBPETokenizer(
                vocabulary: file(tokenizerFile), merges: file(ByteLevelBPETokenizer.mergesFile))
        case .mbart:
            let model = try SentencePieceTokenizer(serialized: file(tokenizerFile))
            let needed = model.vocabularySize + MBartTokenizer.languageCodes.count + 2
            guard needed <= self.model.vocabularySize else {
                throw TrainingError(
                    file: directory.appendingPathComponent(tokenizerFile).path,
                    detail:
                        "\(model.vocabularySize) pieces need \(needed) ids with fairseq's offset, the language codes and <mask>; the model has \(self.model.vocabularySize)"
                )
            }
            return MBartTokenizer(model: model, vocabularySize: self.model.vocabularySize)
        }
    }
}
