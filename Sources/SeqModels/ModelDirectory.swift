import Foundation
import SeqNN
import SeqTensor

/// A trained model on disk: its config, its weights, and whatever files the trainer adds
/// (the tokenizer).
///
/// Layout (every file readable by other tools):
///
/// | file | holds |
/// | --- | --- |
/// | `config.json` | the `TransformerConfig`, pretty-printed with sorted keys |
/// | `model.safetensors` | the weights by parameter path, with the metadata `{"format": "seq2seq", "architecture": "transformer-seq2seq"}` (or `"transformer-lm"`) |
/// | anything else | the `extraFiles` passed to `save` |
///
/// Saving is all or nothing, as for `Checkpoint`: the files are written into a hidden staging
/// directory next to the target, flushed, and renamed into place; an existing directory is
/// replaced only once the new one is complete, and `load` falls back to `<name>.previous`
/// if a crash struck between the two renames.
///
/// ```swift
/// try ModelDirectory.save(model: model, to: url, extraFiles: ["tokenizer.model": data])
/// let saved = try ModelDirectory.load(from: url)
/// let translator = try saved.model(as: TransformerSeq2Seq.self)
/// let tokenizer = saved.fileURL(named: "tokenizer.model")
/// ```
public struct ModelDirectory {
    /// The config file inside a model directory.
    public static let configFile = "config.json"
    /// The weights file inside a model directory.
    public static let weightsFile = "model.safetensors"
    /// The value of the `format` metadata entry of the weights.
    public static let format = "seq2seq"

    /// The directory the model was read from.
    public let url: URL
    /// The config the model was built from.
    public let config: TransformerConfig
    /// The model, with the saved weights.
    public let model: any TransformerModel

    /// The family of `model`.
    public var architecture: TransformerArchitecture { type(of: model).architecture }

    /// The location of the file `name` in the directory, such as an extra file saved with
    /// the model.
    public func fileURL(named name: String) -> URL { url.appendingPathComponent(name) }

    /// The model as `type`.
    ///
    /// - Throws: `CheckpointError` (`.unreadable`) naming the weights file if the saved
    ///   architecture is another one.
    public func model<Model: TransformerModel>(as type: Model.Type) throws -> Model {
        guard let typed = model as? Model else {
            throw CheckpointError(
                kind: .unreadable, file: fileURL(named: Self.weightsFile).path,
                detail:
                    "holds a \(architecture.rawValue) model, not a \(Model.architecture.rawValue) model"
            )
        }
        return typed
    }

    /// Writes `model`'s config and weights, and `extraFiles`, to `directory`, replacing any
    /// directory there only once the new one is complete on disk.
    ///
    /// - Parameters:
    ///   - model: The model; its `config` is saved with it.
    ///   - directory: The model directory to create or replace (with everything in it).
    ///   - extraFiles: More files by name, such as a tokenizer; plain names (no `/`), other
    ///     than `config.json` and `model.safetensors`.
    /// - Throws: `CheckpointError` (`.writeFailed`) naming the file; an existing directory is
    ///   then untouched.
    public static func save(
        model: some TransformerModel, to directory: URL, extraFiles: [String: Data] = [:]
    ) throws {
        for name in extraFiles.keys {
            precondition(
                !name.isEmpty && !name.contains("/") && name != "." && name != ".."
                    && name != configFile && name != weightsFile,
                "ModelDirectory.save: `\(name)` is not a valid extra file name")
        }
        let architecture = type(of: model).architecture
        try Checkpoint.replace(directory) { staging in
            try SafeTensors.write(
                model.stateDictionary(),
                metadata: ["format": format, "architecture": architecture.rawValue],
                to: staging.appendingPathComponent(weightsFile))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try writeDurably(
                try encoder.encode(model.config), to: staging.appendingPathComponent(configFile))
            for (name, data) in extraFiles.sorted(by: { $0.key < $1.key }) {
                try writeDurably(data, to: staging.appendingPathComponent(name))
            }
        }
    }

    /// Reads the model directory at `directory` (or `<directory>.previous`, left by an
    /// interrupted save, if `directory` is missing) and rebuilds its model.
    ///
    /// - Throws: `CheckpointError` naming the file: `.unreadable` for a missing directory or
    ///   file, invalid JSON, a `ConfigError` (its message included), a corrupt weights file or
    ///   a missing or unknown `architecture`; `.missingTensor`, `.unexpectedTensor` or
    ///   `.shapeMismatch` when the weights do not fit the config.
    public static func load(from directory: URL) throws -> ModelDirectory {
        let manager = FileManager.default
        var source = directory
        if !manager.fileExists(atPath: directory.path) {
            source = Checkpoint.previousLocation(of: directory)
            guard manager.fileExists(atPath: source.path) else {
                throw CheckpointError(
                    kind: .unreadable, file: directory.path, detail: "no model directory")
            }
        }
        let config = try readConfig(source.appendingPathComponent(configFile))
        let weightsURL = source.appendingPathComponent(weightsFile)
        let stored: (tensors: [String: Tensor], metadata: [String: String])
        do {
            stored = try SafeTensors.read(contentsOf: weightsURL)
        } catch let error as SafeTensorsError {
            throw CheckpointError(kind: .unreadable, file: error.file, detail: error.detail)
        }
        let modelType: any TransformerModel.Type
        switch stored.metadata["architecture"].map(TransformerArchitecture.init(rawValue:)) {
        case .some(.seq2seq): modelType = TransformerSeq2Seq.self
        case .some(.languageModel): modelType = TransformerLM.self
        case .some(nil), nil:
            let known = TransformerArchitecture.allCases.map { "\"\($0.rawValue)\"" }
            throw CheckpointError(
                kind: .unreadable, file: weightsURL.path,
                detail:
                    "metadata `architecture` is \(stored.metadata["architecture"].map { "\"\($0)\"" } ?? "missing"), expected one of \(known.joined(separator: ", "))"
            )
        }
        var generator = SeededGenerator(seed: 0)
        let model = modelType.init(config: config, using: &generator)
        try model.load(stored.tensors, from: weightsURL.path)
        return ModelDirectory(url: source, config: config, model: model)
    }

    /// Reads and validates the config at `url`.
    private static func readConfig(_ url: URL) throws -> TransformerConfig {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CheckpointError(kind: .unreadable, file: url.path, detail: "no such file")
        }
        do {
            return try JSONDecoder().decode(TransformerConfig.self, from: Data(contentsOf: url))
        } catch let error as ConfigError {
            throw CheckpointError(kind: .unreadable, file: url.path, detail: error.description)
        } catch {
            throw CheckpointError(
                kind: .unreadable, file: url.path, detail: "invalid JSON (\(error))")
        }
    }
}
