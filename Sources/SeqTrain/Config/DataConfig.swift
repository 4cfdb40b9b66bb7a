import SeqModels
import Foundation

/// The training and validation examples and the length limits applied to them.
public struct DataConfig: Sendable {
    /// The training examples.
    public var train: DataSource
    /// The validation examples (loss, BLEU and early stopping).
    public var valid: DataSource
    /// Longest source kept for training, in tokens (longer pairs are skipped).
    public var maxSourceLength = 128
    /// Longest target kept for training, in tokens.
    public var maxTargetLength = 128

    mutating func resolvePaths(against base: URL) {
        train.resolvePaths(against: base)
        valid.resolvePaths(against: base)
    }

    func validate() throws {
        guard maxSourceLength > 0 else {
            throw ConfigError(key: "data.maxSourceLength", detail: "must be positive")
        }
        guard maxTargetLength > 0 else {
            throw ConfigError(key: "data.maxTargetLength", detail: "must be positive")
        }
    }
}

extension DataConfig: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case train, valid, maxSourceLength, maxTargetLength
    }

    /// Decodes strictly: unknown keys are errors.
    public init(from decoder: Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        train = try container.decode(DataSource.self, forKey: .train)
        valid = try container.decode(DataSource.self, forKey: .valid)
        maxSourceLength =
            try container.decodeIfPresent(Int.self, forKey: .maxSourceLength) ?? maxSourceLength
        maxTargetLength =
            try container.decodeIfPresent(Int.self, forKey: .maxTargetLength) ?? maxTargetLength
    }
}

/// One set of examples: two parallel files, a TSV file, or a JSON-lines file.
///
/// YAML: `{source: train.de, target: train.en}`, `{tsv: pairs.tsv, columns: [0, 1]}` or
/// `{jsonl: pairs.jsonl, keys: [de, en]}`; any file may be gzip-compressed.
public enum DataSource: Sendable, Equatable {
    /// Line-aligned source and target files.
    case parallel(source: URL, target: URL)
    /// Tab-separated columns: source column, target column.
    case tsv(file: URL, columns: [Int])
    /// JSON objects, one per line: source key, target key.
    case jsonLines(file: URL, keys: [String])

    mutating func resolvePaths(against base: URL) {
        func resolved(_ url: URL) -> URL {
            url.relativePath.hasPrefix("/")
                ? url : URL(fileURLWithPath: url.relativePath, relativeTo: base)
        }
        switch self {
        case .parallel(let source, let target):
            self = .parallel(source: resolved(source), target: resolved(target))
        case .tsv(let file, let columns): self = .tsv(file: resolved(file), columns: columns)
        case .jsonLines(let file, let keys): self = .jsonLines(file: resolved(file), keys: keys)
        }
    }
}

extension DataSource: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case source, target, tsv, columns, jsonl, keys
    }

    /// Decodes one of the three forms; mixing them is an error naming the keys.
    public init(from decoder: Decoder) throws {
        let section = decoder.codingPath.map(\.stringValue).joined(separator: ".")
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        func url(_ key: Keys) throws -> URL {
            URL(fileURLWithPath: try container.decode(String.self, forKey: key))
        }
        if container.contains(.tsv) {
            self = .tsv(
                file: try url(.tsv),
                columns: try container.decodeIfPresent([Int].self, forKey: .columns) ?? [0, 1])
        } else if container.contains(.jsonl) {
            self = .jsonLines(
                file: try url(.jsonl),
                keys: try container.decodeIfPresent([String].self, forKey: .keys)
                    ?? ["source", "target"])
        } else if container.contains(.source) && container.contains(.target) {
            self = .parallel(source: try url(.source), target: try url(.target))
        } else {
            throw ConfigError(
                key: section,
                detail: "give `source` and `target` files, a `tsv` file or a `jsonl` file")
        }
    }
}
