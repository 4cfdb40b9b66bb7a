import SeqModels
import Foundation
import SeqText

/// How text becomes ids: a SentencePiece model trained on the training data (joint over
/// source and target) or loaded from a file, or a character or whitespace vocabulary.
public struct TokenizerConfig: Sendable {
    /// The tokenizer family.
    public enum Kind: String, Codable, Sendable {
        case sentencepiece, character, whitespace
    }

    /// The tokenizer family; default SentencePiece.
    public var kind = Kind.sentencepiece
    /// An existing SentencePiece `.model` to use instead of training one.
    public var model: URL?
    /// Vocabulary size of a trained SentencePiece model (joint source and target).
    public var vocabularySize = 8000
    /// SentencePiece algorithm: `unigram` or `bpe`.
    public var modelType = "unigram"
    /// Share of characters the SentencePiece model must cover.
    public var characterCoverage = 1.0
    /// Most sentences SentencePiece trains on (sampled with the run's seed).
    public var maxSentences = 400_000
    /// Pieces kept whole, such as `<sep>` for decoder-only training.
    public var userDefinedSymbols: [String] = ["<sep>"]

    mutating func resolvePaths(against base: URL) {
        if let model, !model.relativePath.hasPrefix("/") {
            self.model = URL(fileURLWithPath: model.relativePath, relativeTo: base)
        }
    }

    func validate() throws {
        guard kind == .sentencepiece else {
            throw ConfigError(
                key: "tokenizer.kind",
                detail:
                    "`\(kind.rawValue)` is not trained by `seq2seq train` yet; use sentencepiece")
        }
        guard vocabularySize >= 8 else {
            throw ConfigError(key: "tokenizer.vocabularySize", detail: "must be at least 8")
        }
        guard ["unigram", "bpe"].contains(modelType) else {
            throw ConfigError(
                key: "tokenizer.modelType", detail: "`\(modelType)` is not unigram or bpe")
        }
        guard characterCoverage > 0 && characterCoverage <= 1 else {
            throw ConfigError(key: "tokenizer.characterCoverage", detail: "must be in (0, 1]")
        }
    }
}

extension TokenizerConfig: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case kind, model, vocabularySize, modelType, characterCoverage, maxSentences
        case userDefinedSymbols
    }

    /// Decodes strictly: unknown keys are errors.
    public init(from decoder: Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        kind = try container.decodeIfPresent(Kind.self, forKey: .kind) ?? kind
        model = try container.decodeIfPresent(String.self, forKey: .model).map {
            URL(fileURLWithPath: $0)
        }
        vocabularySize =
            try container.decodeIfPresent(Int.self, forKey: .vocabularySize) ?? vocabularySize
        modelType = try container.decodeIfPresent(String.self, forKey: .modelType) ?? modelType
        characterCoverage =
            try container.decodeIfPresent(Double.self, forKey: .characterCoverage)
            ?? characterCoverage
        maxSentences =
            try container.decodeIfPresent(Int.self, forKey: .maxSentences) ?? maxSentences
        userDefinedSymbols =
            try container.decodeIfPresent([String].self, forKey: .userDefinedSymbols)
            ?? userDefinedSymbols
    }
}
