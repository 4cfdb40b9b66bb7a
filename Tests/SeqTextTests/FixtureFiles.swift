import Foundation
import Testing

/// Files of the test target's `Fixtures/` folder and scratch directories.
enum FixtureFiles {
    /// The URL of fixture `name`.
    static func url(_ name: String) throws -> URL {
        try #require(
            Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
            "missing fixture \(name)")
    }

    /// Decodes fixture `name` as JSON.
    static func json<Value: Decodable>(_ type: Value.Type, _ name: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(contentsOf: url(name)))
    }

    /// The 300 Tatoeba English–German pairs, read directly (no SeqText code involved).
    static func tatoebaPairs() throws -> [(english: String, german: String)] {
        let text = try String(contentsOf: url("tatoeba-deu-eng-300.tsv"), encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return (String(fields[0]), String(fields[1]))
        }
    }

    /// A fresh empty directory, removed when `body` returns.
    static func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("SeqTextTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }
}
