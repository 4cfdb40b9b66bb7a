import Foundation

/// A fresh temporary folder, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("seq2seq-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A writable copy of the fixture checkpoint `name`.
    func copyOfFixture(_ name: String) throws -> URL {
        let source = try CheckpointFixture.directory(name)
        let copy = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            let data = try Data(contentsOf: source.appendingPathComponent(file))
            try data.write(to: copy.appendingPathComponent(file))
        }
        return copy
    }

    /// Rewrites the `config.json` of the checkpoint copy at `checkpoint` through `edit`.
    func editConfig(of checkpoint: URL, _ edit: (inout [String: Any]) -> Void) throws {
        let file = checkpoint.appendingPathComponent("config.json")
        var object =
            try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: file)
    }
}
