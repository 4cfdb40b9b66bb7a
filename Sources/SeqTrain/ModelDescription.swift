import Foundation
import SeqModels
import SeqNN
import SeqTensor
import SeqText

/// The `config.json` of a model directory: which family, its settings, and the tokenizer file.
///
/// A model directory (`best/`, `last/`, `averaged/`) holds `config.json`, `model.safetensors`
/// and `tokenizer.model` (SentencePiece); `translate`, `evaluate` and `serve` need nothing else.
public struct ModelDescription: Codable, Sendable {
    /// Always `seq2seq`: marks the directory as ours.
    public var format = "seq2seq"
    /// The model family.
    public var architecture: Architecture
    /// The family's settings, vocabulary and special ids included.
    public var model: TransformerConfig
    /// The tokenizer file inside the directory.
    public var tokenizerFile = tokenizerFileName

    /// Describes a model of `architecture` with `model`'s settings over `tokenizer`'s
    /// vocabulary and special ids.
    ///
    /// - Throws: `TrainingError` if the tokenizer lacks a pad, start or end id, or the
    ///   resulting settings are contradictory (naming the key).
    public init(architecture: Architecture, model: TransformerConfig, tokenizer: any Tokenizer)
        throws
    {
        guard let pad = tokenizer.padID, let start = tokenizer.startID, let end = tokenizer.endID
        else {
            throw TrainingError(
                file: "tokenizer", detail: "needs pad, start and end ids for a translation model")
        }
        self.architecture = architecture
        var settings = model
        settings.vocabularySize = tokenizer.vocabularySize
        settings.sourceVocabularySize = nil
        settings.padID = pad
        settings.startID = start
        settings.endID = end
        if architecture == .transformerLM {
            guard let separator = (tokenizer as? SentencePieceTokenizer)?.id(of: "<sep>") else {
                throw TrainingError(
                    file: "tokenizer",
                    detail:
                        "a decoder-only model needs a `<sep>` piece (tokenizer.userDefinedSymbols)")
            }
            settings.separatorID = separator
        }
        do {
            try settings.validate()
        } catch let error as ConfigError {
            throw TrainingError(file: "model", detail: error.description)
        }
        self.model = settings
    }

    /// A freshly initialised model of this description.
    public func makeModel(using generator: inout SeededGenerator) throws -> any TranslationModel {
        switch architecture {
        case .transformer: return TransformerSeq2Seq(config: model, using: &generator)
        case .transformerLM: return TransformerLM(config: model, using: &generator)
        }
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
    /// Its tokenizer.
    public let tokenizer: SentencePieceTokenizer
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
        guard let tokenizerData = checkpoint.extraFiles[description.tokenizerFile] else {
            throw TrainingError(
                file: directory.appendingPathComponent(description.tokenizerFile).path,
                detail: "missing tokenizer")
        }
        tokenizer = try SentencePieceTokenizer(serialized: tokenizerData)
        var generator = SeededGenerator(seed: 0)
        model = try description.makeModel(using: &generator)
        try model.load(
            checkpoint.weights,
            from: directory.appendingPathComponent(Checkpoint.weightsFile).path)
        model.setTraining(false)
    }
}
