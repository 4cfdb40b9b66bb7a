import Foundation
import SeqModels
import SeqText

/// One set of task examples: a task file, or examples generated from a seed.
///
/// YAML: `{file: train.txt}` (relative to the config file; may be gzip-compressed), or
/// `{count: 100000, length: 10, seed: 1}` with `length` one length or `A..B` (each example's
/// length drawn uniformly), and for the training set `freshEachEpoch: true` to draw new
/// examples every epoch (see `GeneratedTaskData.seed(epoch:)`), as the papers' generated
/// training sets do.
public enum TaskDataSource: Sendable, Equatable {
    /// A task file (`TaskFile`).
    case file(URL)
    /// Examples from `TaskGenerator`.
    case generated(GeneratedTaskData)

    /// The examples of epoch `epoch` (the same for every epoch unless generated with
    /// `freshEachEpoch`).
    ///
    /// - Throws: `TaskFileError` naming the file and line, or `ConfigError` naming `key`
    ///   when the generator settings are out of range for `task`.
    func examples(task: TaskName, maxValue: Int?, epoch: Int = 0, key: String) throws
        -> [TaskExample]
    {
        switch self {
        case .file(let url):
            return try TaskFile.read(contentsOf: url, task: task)
        case .generated(let settings):
            let generator: TaskGenerator
            do {
                generator = try TaskGenerator(
                    task: task, lengths: settings.lengths, maxValue: maxValue)
            } catch let error as TaskSettingsError {
                throw ConfigError(key: key, detail: "\(error)")
            }
            let seed = settings.freshEachEpoch ? settings.seed(epoch: epoch) : settings.seed
            return generator.examples(count: settings.count, seed: seed)
        }
    }

    /// Whether every epoch draws new examples.
    var isFreshEachEpoch: Bool {
        if case .generated(let settings) = self { return settings.freshEachEpoch }
        return false
    }

    mutating func resolvePaths(against base: URL) {
        if case .file(let url) = self, !url.relativePath.hasPrefix("/") {
            self = .file(URL(fileURLWithPath: url.relativePath, relativeTo: base))
        }
    }
}

/// The settings of a generated set of examples.
public struct GeneratedTaskData: Sendable, Equatable {
    /// How many examples (per epoch with `freshEachEpoch`).
    public var count: Int
    /// The lengths drawn from, uniformly.
    public var lengths: ClosedRange<Int>
    /// The generator's seed.
    public var seed: UInt64
    /// Whether each epoch draws `count` new examples, with seed `seed(epoch:)`.
    public var freshEachEpoch: Bool

    /// The seed of epoch `epoch` with `freshEachEpoch`: `seed` for epoch 0, then
    /// `seed + epoch · 0x9E3779B97F4A7C15` (wrapping), far from the small seeds of the other
    /// sets.
    public func seed(epoch: Int) -> UInt64 {
        seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15
    }

    /// Creates the settings.
    public init(count: Int, lengths: ClosedRange<Int>, seed: UInt64, freshEachEpoch: Bool = false) {
        self.count = count
        self.lengths = lengths
        self.seed = seed
        self.freshEachEpoch = freshEachEpoch
    }
}

extension TaskDataSource: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case file, count, length, seed, freshEachEpoch
    }

    /// Decodes strictly: `file` alone, or `count`, `length` and `seed` (and optionally
    /// `freshEachEpoch`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        let path = dottedPath(decoder.codingPath)
        if container.contains(.file) {
            if let other = [Keys.count, .length, .seed, .freshEachEpoch].first(where: {
                container.contains($0)
            }) {
                throw ConfigError(
                    key: "\(path).\(other.stringValue)",
                    detail: "cannot be combined with `file`")
            }
            self = .file(URL(fileURLWithPath: try container.decode(forKey: .file, default: "")))
            return
        }
        for key in [Keys.count, .length, .seed] where !container.contains(key) {
            throw ConfigError(
                key: "\(path).\(key.stringValue)",
                detail: "required (or give `file`)")
        }
        let count: Int = try container.decode(forKey: .count, default: 0)
        guard count >= 1 else {
            throw ConfigError(key: "\(path).count", detail: "must be at least 1, got \(count)")
        }
        let lengths = try Self.decodeLengths(container, path: path)
        self = .generated(
            GeneratedTaskData(
                count: count, lengths: lengths,
                seed: try container.decode(forKey: .seed, default: 0),
                freshEachEpoch: try container.decode(forKey: .freshEachEpoch, default: false)))
    }

    /// `length`: an integer, or a string `A` or `A..B`.
    private static func decodeLengths(
        _ container: KeyedDecodingContainer<Keys>, path: String
    ) throws -> ClosedRange<Int> {
        let key = "\(path).length"
        if let single = try? container.decode(Int.self, forKey: .length) {
            guard single >= 1 else {
                throw ConfigError(key: key, detail: "must be at least 1, got \(single)")
            }
            return single...single
        }
        let text: String = try container.decode(forKey: .length, default: "")
        let bounds = text.split(separator: "..", omittingEmptySubsequences: false).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        if bounds.count == 1, let single = bounds[0], single >= 1 { return single...single }
        guard bounds.count == 2, let lower = bounds[0], let upper = bounds[1], lower >= 1,
            lower <= upper
        else {
            throw ConfigError(
                key: key, detail: "must be a length or A..B with 1 <= A <= B, got '\(text)'")
        }
        return lower...upper
    }
}

/// `a.b.c` for a coding path.
private func dottedPath(_ path: [any CodingKey]) -> String {
    path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
}
