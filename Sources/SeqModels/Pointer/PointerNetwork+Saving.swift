import Foundation
import SeqNN
import SeqTensor

extension PointerNetwork {
    /// The `architecture` entry of the weights metadata of a saved pointer network.
    public static let architecture = "pointer-network"

    /// Writes the config and weights, and `extraFiles`, to `directory`, in the layout of
    /// `ModelDirectory` (`config.json`, `model.safetensors` with the metadata
    /// `{"format": "seq2seq", "architecture": "pointer-network"}`), replacing any directory
    /// there only once the new one is complete on disk.
    ///
    /// - Parameters:
    ///   - directory: The model directory to create or replace (with everything in it).
    ///   - extraFiles: More files by name; plain names other than `config.json` and
    ///     `model.safetensors`.
    /// - Throws: `CheckpointError` (`.writeFailed`) naming the file; an existing directory is
    ///   then untouched.
    public func save(to directory: URL, extraFiles: [String: Data] = [:]) throws {
        for name in extraFiles.keys {
            precondition(
                !name.isEmpty && !name.contains("/") && name != "." && name != ".."
                    && name != ModelDirectory.configFile && name != ModelDirectory.weightsFile,
                "PointerNetwork.save: `\(name)` is not a valid extra file name")
        }
        try Checkpoint.replace(directory) { staging in
            try SafeTensors.write(
                stateDictionary(),
                metadata: ["format": ModelDirectory.format, "architecture": Self.architecture],
                to: staging.appendingPathComponent(ModelDirectory.weightsFile))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try writeDurably(
                try encoder.encode(config),
                to: staging.appendingPathComponent(ModelDirectory.configFile))
            for (name, data) in extraFiles.sorted(by: { $0.key < $1.key }) {
                try writeDurably(data, to: staging.appendingPathComponent(name))
            }
        }
    }

    /// Reads the pointer network saved in `directory` (or in `<directory>.previous`, left by
    /// an interrupted save).
    ///
    /// - Throws: `CheckpointError` naming the file: `.unreadable` for a missing directory or
    ///   file, invalid JSON, a `ConfigError` (its message included), a corrupt weights file,
    ///   or an `architecture` other than `pointer-network`; `.missingTensor`,
    ///   `.unexpectedTensor` or `.shapeMismatch` when the weights do not fit the config.
    public static func load(from directory: URL) throws -> PointerNetwork {
        let manager = FileManager.default
        var source = directory
        if !manager.fileExists(atPath: directory.path) {
            source = Checkpoint.previousLocation(of: directory)
            guard manager.fileExists(atPath: source.path) else {
                throw CheckpointError(
                    kind: .unreadable, file: directory.path, detail: "no model directory")
            }
        }
        let configURL = source.appendingPathComponent(ModelDirectory.configFile)
        let config: PointerNetworkConfig
        do {
            config = try JSONDecoder().decode(
                PointerNetworkConfig.self, from: Data(contentsOf: configURL))
        } catch let error as ConfigError {
            throw CheckpointError(
                kind: .unreadable, file: configURL.path, detail: error.description)
        } catch {
            throw CheckpointError(
                kind: .unreadable, file: configURL.path,
                detail: "unreadable or invalid JSON (\(error))")
        }
        let weightsURL = source.appendingPathComponent(ModelDirectory.weightsFile)
        let stored: (tensors: [String: Tensor], metadata: [String: String])
        do {
            stored = try SafeTensors.read(contentsOf: weightsURL)
        } catch let error as SafeTensorsError {
            throw CheckpointError(kind: .unreadable, file: error.file, detail: error.detail)
        }
        guard stored.metadata["architecture"] == architecture else {
            throw CheckpointError(
                kind: .unreadable, file: weightsURL.path,
                detail:
                    "metadata `architecture` is \(stored.metadata["architecture"].map { "\"\($0)\"" } ?? "missing"), expected \"\(architecture)\""
            )
        }
        var generator = SeededGenerator(seed: 0)
        let model = PointerNetwork(config: config, using: &generator)
        try model.load(stored.tensors, from: weightsURL.path)
        return model
    }
}
