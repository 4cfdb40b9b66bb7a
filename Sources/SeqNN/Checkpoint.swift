import Foundation
import SeqTensor

/// A training checkpoint: model weights, optimizer state, step count, random generator state
/// and model config, kept together in one directory.
///
/// Layout (every file readable by other tools):
///
/// | file | holds |
/// | --- | --- |
/// | `model.safetensors` | the weights, by parameter path (`Module.stateDictionary()`) |
/// | `optimizer.safetensors` | the optimizer state (`Optimizer.state`), e.g. `encoder.weight.exp_avg` |
/// | `trainer.json` | `{"formatVersion": 1, "step": …, "generatorState": …}` |
/// | `config.json` | the model config as JSON, when there is one |
/// | any other file | `extraFiles`, byte for byte (a tokenizer model, a trainer's own state) |
///
/// Writing is all or nothing: the files go into a hidden sibling directory that is flushed to
/// disk and then renamed into place. An existing checkpoint is first renamed to
/// `<name>.previous` and deleted only once the new one is in place; `read(from:)` falls back
/// to `<name>.previous` if a crash struck between the two renames, so a crash never loses the
/// last complete checkpoint.
///
/// ```swift
/// try Checkpoint.save(model: model, optimizer: optimizer, step: step, generator: rng,
///                     config: config, to: directory)
/// let checkpoint = try Checkpoint.read(from: directory)
/// let model = Transformer(try checkpoint.decodedConfig(as: TransformerConfig.self), using: &rng)
/// try checkpoint.restore(model, optimizer: optimizer)
/// ```
public struct Checkpoint: Sendable {
    /// The weights file inside a checkpoint directory.
    public static let weightsFile = "model.safetensors"
    /// The optimizer state file inside a checkpoint directory.
    public static let optimizerFile = "optimizer.safetensors"
    /// The step and generator state file inside a checkpoint directory.
    public static let trainerFile = "trainer.json"
    /// The model config file inside a checkpoint directory.
    public static let configFile = "config.json"

    /// Parameter values by path.
    public var weights: [String: Tensor]
    /// Optimizer state by name; empty when saved without an optimizer.
    public var optimizerState: [String: Tensor]
    /// Updates completed when the checkpoint was taken.
    public var step: Int
    /// The training generator, to resume its stream exactly.
    public var generator: SeededGenerator
    /// The model config as JSON, or `nil`.
    public var config: Data?
    /// Further files stored beside the others, by file name.
    public var extraFiles: [String: Data]
    /// The directory this checkpoint was read from, or `nil` if it was built in memory.
    public private(set) var directory: URL?

    /// Creates a checkpoint from its parts.
    public init(
        weights: [String: Tensor], optimizerState: [String: Tensor] = [:], step: Int,
        generator: SeededGenerator, config: Data? = nil, extraFiles: [String: Data] = [:]
    ) {
        precondition(step >= 0, "Checkpoint: step \(step) is negative")
        for name in extraFiles.keys {
            precondition(
                !Checkpoint.reservedFiles.contains(name) && !name.contains("/") && !name.isEmpty
                    && !name.hasPrefix("."),
                "Checkpoint: extra file name `\(name)` is reserved or not a plain file name")
        }
        self.extraFiles = extraFiles
        self.weights = weights
        self.optimizerState = optimizerState
        self.step = step
        self.generator = generator
        self.config = config
    }

    /// Decodes the model config as `type`.
    ///
    /// - Throws: `CheckpointError` (`.unreadable`) if there is no config or it does not decode.
    public func decodedConfig<Config: Decodable>(as type: Config.Type) throws -> Config {
        let file = location(of: Checkpoint.configFile)
        guard let config else {
            throw CheckpointError(
                kind: .unreadable, file: file, detail: "the checkpoint has no config")
        }
        do {
            return try JSONDecoder().decode(type, from: config)
        } catch {
            throw CheckpointError(
                kind: .unreadable, file: file, detail: "invalid \(type) config (\(error))")
        }
    }

    /// Loads the weights into `model` and the state into `optimizer`; all or nothing.
    ///
    /// - Throws: `CheckpointError` naming the file and tensor (see `Module.load(_:from:)` and
    ///   `Optimizer.loadState(_:from:)`); the model and optimizer are then unchanged.
    public func restore(_ model: some Module, optimizer: (any Optimizer)? = nil) throws {
        let previous = model.stateDictionary()
        try model.load(weights, from: location(of: Checkpoint.weightsFile))
        guard let optimizer else { return }
        do {
            try optimizer.loadState(optimizerState, from: location(of: Checkpoint.optimizerFile))
        } catch {
            // Puts back the weights just replaced; same paths and shapes, so it cannot fail.
            try? model.load(previous, from: "")
            throw error
        }
    }

    /// Writes the checkpoint to `directory`, replacing any checkpoint there only once the new
    /// one is complete on disk.
    ///
    /// - Throws: `CheckpointError` (`.writeFailed`) naming the file; the previous checkpoint
    ///   is then untouched.
    public func write(to directory: URL) throws {
        try Checkpoint.replace(directory) { staging in
            try Checkpoint.writeState(
                weights: weights, optimizerState: optimizerState, step: step,
                generator: generator, into: staging)
            if let config {
                try writeDurably(config, to: staging.appendingPathComponent(Checkpoint.configFile))
            }
            for (name, data) in extraFiles {
                try writeDurably(data, to: staging.appendingPathComponent(name))
            }
        }
    }

    /// Saves `model`, `optimizer`, the step, the generator and `config` as a checkpoint in
    /// `directory`, replacing any checkpoint there only once the new one is complete on disk.
    ///
    /// The config is encoded as sorted, pretty-printed JSON.
    ///
    /// - Throws: `CheckpointError` (`.writeFailed`) if a file cannot be written or the config
    ///   cannot be encoded; the previous checkpoint is then untouched.
    public static func save<Config: Encodable>(
        model: some Module, optimizer: (any Optimizer)?, step: Int, generator: SeededGenerator,
        config: Config, to directory: URL
    ) throws {
        precondition(step >= 0, "Checkpoint.save: step \(step) is negative")
        try replace(directory) { staging in
            try writeState(
                weights: model.stateDictionary(), optimizerState: optimizer?.state ?? [:],
                step: step, generator: generator, into: staging)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data: Data
            do {
                data = try encoder.encode(config)
            } catch {
                throw CheckpointError(
                    kind: .writeFailed, file: directory.appendingPathComponent(configFile).path,
                    detail: "cannot encode the config (\(error))")
            }
            try writeDurably(data, to: staging.appendingPathComponent(configFile))
        }
    }

    /// Reads the checkpoint in `directory` (or in `<directory>.previous`, left by an
    /// interrupted write, if `directory` is missing).
    ///
    /// - Throws: `CheckpointError` (`.unreadable`) naming the file: a missing directory or
    ///   file, a corrupt safetensors file, or invalid `trainer.json`.
    public static func read(from directory: URL) throws -> Checkpoint {
        let manager = FileManager.default
        var source = directory
        if !manager.fileExists(atPath: directory.path) {
            let previous = previousLocation(of: directory)
            guard manager.fileExists(atPath: previous.path) else {
                throw CheckpointError(
                    kind: .unreadable, file: directory.path, detail: "no checkpoint directory")
            }
            source = previous
        }
        let weights = try tensors(in: source.appendingPathComponent(weightsFile))
        let optimizerURL = source.appendingPathComponent(optimizerFile)
        let optimizerState =
            manager.fileExists(atPath: optimizerURL.path) ? try tensors(in: optimizerURL) : [:]

        let trainerURL = source.appendingPathComponent(trainerFile)
        let trainer: TrainerState
        do {
            trainer = try JSONDecoder().decode(
                TrainerState.self, from: Data(contentsOf: trainerURL))
        } catch {
            throw CheckpointError(
                kind: .unreadable, file: trainerURL.path, detail: "invalid trainer state (\(error))"
            )
        }
        guard trainer.formatVersion == TrainerState.currentVersion, trainer.step >= 0 else {
            throw CheckpointError(
                kind: .unreadable, file: trainerURL.path,
                detail:
                    "expected formatVersion \(TrainerState.currentVersion) and step ≥ 0, got \(trainer.formatVersion) and \(trainer.step)"
            )
        }

        let configURL = source.appendingPathComponent(configFile)
        var config: Data? = nil
        if manager.fileExists(atPath: configURL.path) {
            do {
                config = try Data(contentsOf: configURL)
            } catch {
                throw CheckpointError(
                    kind: .unreadable, file: configURL.path, detail: "cannot read (\(error))")
            }
        }
        var checkpoint = Checkpoint(
            weights: weights, optimizerState: optimizerState, step: trainer.step,
            generator: SeededGenerator(state: trainer.generatorState), config: config,
            extraFiles: try extraFiles(in: source))
        checkpoint.directory = source
        return checkpoint
    }

    /// The path of `file` inside the directory this checkpoint came from, for messages.
    private func location(of file: String) -> String {
        directory?.appendingPathComponent(file).path ?? file
    }
}

extension Checkpoint {
    /// The files a checkpoint writes itself; `extraFiles` may not use these names.
    public static let reservedFiles: Set<String> = [
        weightsFile, optimizerFile, trainerFile, configFile,
    ]

    /// Every plain, non-hidden file of `directory` that is not one of `reservedFiles`.
    private static func extraFiles(in directory: URL) throws -> [String: Data] {
        let manager = FileManager.default
        var files: [String: Data] = [:]
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw CheckpointError(
                kind: .unreadable, file: directory.path, detail: "cannot list (\(error))")
        }
        for name in names where !reservedFiles.contains(name) && !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { continue }
            do {
                files[name] = try Data(contentsOf: url)
            } catch {
                throw CheckpointError(
                    kind: .unreadable, file: url.path, detail: "cannot read (\(error))")
            }
        }
        return files
    }
}

/// The contents of `trainer.json`.
private struct TrainerState: Codable {
    static let currentVersion = 1
    var formatVersion: Int
    var step: Int
    /// `SeededGenerator.state`; JSON integers carry all 64 bits through Foundation's coders.
    var generatorState: UInt64
}

extension Checkpoint {
    /// Where the checkpoint in `directory` is kept while its replacement is renamed into place.
    package static func previousLocation(of directory: URL) -> URL {
        directory.deletingLastPathComponent().appendingPathComponent(
            directory.lastPathComponent + ".previous")
    }

    /// Writes the weights, optimizer state and trainer state into `staging`.
    private static func writeState(
        weights: [String: Tensor], optimizerState: [String: Tensor], step: Int,
        generator: SeededGenerator, into staging: URL
    ) throws {
        try SafeTensors.write(
            weights, metadata: ["format": "seq2seq"],
            to: staging.appendingPathComponent(weightsFile))
        try SafeTensors.write(
            optimizerState, metadata: ["format": "seq2seq"],
            to: staging.appendingPathComponent(optimizerFile))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let trainer = TrainerState(
            formatVersion: TrainerState.currentVersion, step: step, generatorState: generator.state)
        try writeDurably(
            try encoder.encode(trainer), to: staging.appendingPathComponent(trainerFile))
    }

    /// Every tensor of the safetensors file at `url`, with errors as `CheckpointError`.
    private static func tensors(in url: URL) throws -> [String: Tensor] {
        do {
            return try SafeTensors.read(contentsOf: url).tensors
        } catch let error as SafeTensorsError {
            throw CheckpointError(kind: .unreadable, file: error.file, detail: error.detail)
        }
    }

    /// Runs `write` on a fresh staging directory next to `directory`, then swaps it in.
    ///
    /// On any failure the staging directory is removed and `directory` is left as it was.
    package static func replace(_ directory: URL, write: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(
            ".\(directory.lastPathComponent).\(UUID().uuidString).partial")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw CheckpointError(
                kind: .writeFailed, file: directory.path,
                detail: "cannot create a staging directory in \(parent.path) (\(error))")
        }
        do {
            try write(staging)
            syncDirectory(staging)
            try swap(staging, into: directory)
        } catch {
            // Nothing in the staging directory is needed once the write has failed.
            try? manager.removeItem(at: staging)
            switch error {
            case let error as CheckpointError: throw error
            case let error as SafeTensorsError:
                throw CheckpointError(kind: .writeFailed, file: error.file, detail: error.detail)
            case let error as FileWriteError:
                throw CheckpointError(kind: .writeFailed, file: error.path, detail: error.reason)
            default:
                throw CheckpointError(kind: .writeFailed, file: directory.path, detail: "\(error)")
            }
        }
    }

    /// Moves the complete `staging` directory to `directory`, keeping the old checkpoint as
    /// `<directory>.previous` until the new one is in place.
    private static func swap(_ staging: URL, into directory: URL) throws {
        let manager = FileManager.default
        let previous = previousLocation(of: directory)
        if manager.fileExists(atPath: directory.path) {
            // A `.previous` next to an existing checkpoint is older than it: safe to drop.
            if manager.fileExists(atPath: previous.path) { try manager.removeItem(at: previous) }
            try renameItem(directory, to: previous)
            do {
                try renameItem(staging, to: directory)
            } catch {
                try? renameItem(previous, to: directory)
                throw error
            }
        } else {
            try renameItem(staging, to: directory)
        }
        syncDirectory(directory.deletingLastPathComponent())
        // The new checkpoint is in place; any `.previous` (just made, or left by a crash) is stale.
        if manager.fileExists(atPath: previous.path) { try? manager.removeItem(at: previous) }
    }
}
