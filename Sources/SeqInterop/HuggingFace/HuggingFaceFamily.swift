import Foundation
import SeqModels
import SeqNN
import SeqText
import SeqTrain

/// What the importer needs from one Hugging Face model family: its native config, its name
/// table and its tokenizer files.
protocol HuggingFaceFamily {
    /// The `architectures` entry of a model with a language-model head.
    static var architecture: String { get }

    /// The native config of the checkpoint described by `config`, with the special ids of
    /// `generation`.
    ///
    /// - Throws: `InteropError` (`.unsupported`) naming the setting that has no native
    ///   equivalent, or (`.invalidFile`) a malformed value.
    static func modelConfig(
        from config: HuggingFaceConfig, generation: HuggingFaceGeneration
    ) throws -> TransformerConfig

    /// The tensor names of the checkpoint mapped to the parameters of `model`.
    static func nameMap(for model: TransformerConfig, config: HuggingFaceConfig) throws -> NameMap

    /// The tokenizer files in `directory`, read for a model of vocabulary `vocabularySize`.
    ///
    /// - Throws: `InteropError` naming a missing or unsupported tokenizer file.
    static func tokenizer(in directory: URL, vocabularySize: Int) throws -> ImportedTokenizer
}

/// A tokenizer as a native model directory stores it.
struct ImportedTokenizer {
    /// How the files are read.
    var format: TokenizerFormat
    /// The main file (`ModelDescription.tokenizerFile`).
    var mainFile: String
    /// Every tokenizer file by name, the main one included.
    var files: [String: Data]
    /// T5's sentinel count.
    var extraIDs: Int?
    /// mBART's default source language code.
    var sourceLanguage: String? = nil
}

extension HuggingFaceConfig {
    /// The integer under `key`, or `defaultValue` when absent.
    func int(_ key: String, default defaultValue: Int) throws -> Int {
        try int(key) ?? defaultValue
    }

    /// An error for a setting without a native equivalent.
    func unsupported(_ detail: String) -> InteropError {
        InteropError(kind: .unsupported, file: file, detail: detail)
    }

    /// The native feed-forward activation for a Hugging Face `ACT2FN` name under `key`.
    func activation(_ key: String, default defaultValue: String) throws -> FeedForward.Activation {
        let name = try string(key) ?? defaultValue
        switch name {
        case "relu": return .relu
        case "gelu": return .gelu
        case "gelu_new", "gelu_pytorch_tanh": return .geluTanh
        case "silu", "swish": return .silu
        default:
            throw unsupported(
                "`\(key)` = \"\(name)\" is not supported; supported: relu, gelu, gelu_new, "
                    + "gelu_pytorch_tanh, silu, swish")
        }
    }

    /// The value under `key`, which must be the same under `otherKey` (our blocks have one
    /// setting for both stacks).
    func same(_ key: String, _ otherKey: String, default defaultValue: Int) throws -> Int {
        let value = try int(key, default: defaultValue)
        let other = try int(otherKey, default: value)
        guard value == other else {
            throw unsupported(
                "`\(key)` = \(value) differs from `\(otherKey)` = \(other); both stacks must match"
            )
        }
        return value
    }
}

/// The bytes of `name` in `directory`.
///
/// - Throws: `InteropError` (`.invalidFile`) naming the file when it is missing.
func tokenizerFile(_ name: String, in directory: URL) throws -> Data {
    let url = directory.appendingPathComponent(name)
    guard let data = FileManager.default.contents(atPath: url.path) else {
        throw InteropError(kind: .invalidFile, file: url.path, detail: "missing tokenizer file")
    }
    return data
}
