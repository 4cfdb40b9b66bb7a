import Foundation
import SeqModels
import Yams

/// Everything `seq2seq train CONFIG.yaml` needs.
///
/// Data, tokenizer, model, optimisation and evaluation settings. Every key has a documented default except the data files.
///
/// Loading is strict: an unknown key, or a value out of range, is an error naming the key.
/// Relative paths are resolved against the directory of the config file.
public struct TrainConfig: Sendable {
    /// Seed of every random choice of the run (initialisation, dropout, batch order).
    public var seed: UInt64 = 1
    /// Where the examples come from.
    public var data: DataConfig
    /// How text becomes ids.
    public var tokenizer = TokenizerConfig()
    /// Which model family `model` configures.
    public var architecture = Architecture.transformer
    /// The model to train, in the config of `architecture`'s family; its vocabulary size
    /// comes from the tokenizer.
    public var model = ModelConfig.transformer(TransformerConfig())
    /// Optimisation settings.
    public var training = OptimizationConfig()
    /// How the validation set is decoded and scored.
    public var evaluation = EvaluationConfig()

    /// Reads and validates the YAML file at `url`.
    ///
    /// - Throws: `TrainingError` naming the file and the offending key.
    public static func load(contentsOf url: URL) throws -> TrainConfig {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw TrainingError(file: url.path, detail: "cannot read the config (\(error))")
        }
        return try parse(yaml: text, file: url.path, baseDirectory: url.deletingLastPathComponent())
    }

    /// Parses and validates YAML `text`; `file` names it in errors, `baseDirectory` resolves
    /// relative paths.
    public static func parse(yaml text: String, file: String, baseDirectory: URL) throws
        -> TrainConfig
    {
        var config: TrainConfig
        do {
            config = try YAMLDecoder().decode(TrainConfig.self, from: text)
        } catch let error as ConfigError {
            throw TrainingError(file: file, detail: error.description)
        } catch let error as DecodingError {
            if let configError = underlyingConfigError(error) {
                throw TrainingError(file: file, detail: configError.description)
            }
            throw TrainingError(file: file, detail: describe(error))
        } catch {
            throw TrainingError(file: file, detail: "invalid YAML (\(error))")
        }
        config.data.resolvePaths(against: baseDirectory)
        config.tokenizer.resolvePaths(against: baseDirectory)
        do {
            try config.validate()
        } catch let error as ConfigError {
            throw TrainingError(file: file, detail: error.description)
        }
        return config
    }

    /// Checks ranges and combinations of settings.
    func validate() throws {
        if training.batchSize != nil {
            throw ConfigError(
                key: "training.batchSize",
                detail: "is for task training; translation batches by maxTokens and maxSentences")
        }
        try training.validate()
        try evaluation.validate()
        try tokenizer.validate()
        try data.validate()
        guard model.fits(architecture) else {
            throw ConfigError(
                key: "model", detail: "is not a config of `architecture` \(architecture.rawValue)")
        }
        do {
            try model.validate()
        } catch let error as ConfigError {
            throw ConfigError(key: "model.\(error.key)", detail: error.detail)
        }
    }
}

extension TrainConfig: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case seed, data, tokenizer, architecture, model, training, evaluation
    }

    /// Decodes strictly: unknown keys are errors.
    public init(from decoder: Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        guard container.contains(.data) else {
            throw ConfigError(key: "data", detail: "required: the training and validation files")
        }
        data = try container.decode(DataConfig.self, forKey: .data)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        tokenizer =
            try container.decodeIfPresent(TokenizerConfig.self, forKey: .tokenizer) ?? tokenizer
        architecture = try container.decode(forKey: .architecture, default: architecture)
        model = try ModelConfig(from: container, forKey: .model, architecture: architecture)
        training =
            try container.decodeIfPresent(OptimizationConfig.self, forKey: .training) ?? training
        evaluation =
            try container.decodeIfPresent(EvaluationConfig.self, forKey: .evaluation) ?? evaluation
    }
}

/// The model families `seq2seq train` can train.
public enum Architecture: String, Codable, Sendable, CaseIterable {
    /// `TransformerSeq2Seq`: an encoder-decoder; `model` is a `TransformerConfig`.
    case transformer
    /// `TransformerLM`: decoder-only over "source <sep> target"; `model` is a
    /// `TransformerConfig`.
    case transformerLM = "transformer-lm"
    /// `RNNSeq2Seq`: a recurrent encoder-decoder; `model` is an `RNNConfig`.
    case rnn
}

/// The `ConfigError` a decoder wrapped into `error`, if any (Yams wraps errors thrown by
/// `init(from:)` into `DecodingError.dataCorrupted`).
func underlyingConfigError(_ error: Error) -> ConfigError? {
    if let error = error as? ConfigError { return error }
    guard let decoding = error as? DecodingError else { return nil }
    switch decoding {
    case .dataCorrupted(let context), .typeMismatch(_, let context),
        .valueNotFound(_, let context), .keyNotFound(_, let context):
        return context.underlyingError.flatMap(underlyingConfigError)
    @unknown default:
        return nil
    }
}

/// A `DecodingError` as one line naming the key path.
func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            .joined(separator: ".")
    }
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context),
        .dataCorrupted(let context):
        return "`\(path(context))`: \(context.debugDescription)"
    case .keyNotFound(let key, let context):
        let parent = path(context)
        return "`\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)`: required"
    @unknown default:
        return "\(error)"
    }
}
