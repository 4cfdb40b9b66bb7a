import Foundation

/// A JSON value, as Hugging Face configs hold them.
enum JSONValue: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([JSONValue].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

/// The settings of a Hugging Face `config.json` or `generation_config.json`, read by key.
///
/// Accessors return `nil` for an absent or `null` key and throw `InteropError`
/// (`.invalidFile`) naming the file and key when the value has the wrong type, so each family
/// states its own defaults where it reads a key.
///
/// ```swift
/// let config = try HuggingFaceConfig(contentsOf: directory.appendingPathComponent("config.json"))
/// let modelSize = try config.int("d_model") ?? 512
/// ```
public struct HuggingFaceConfig: Sendable {
    /// The file the settings came from, for messages.
    public let file: String
    private let values: [String: JSONValue]

    /// Reads the JSON object in the file at `url`.
    ///
    /// - Throws: `InteropError` (`.invalidFile`) naming the file when it is missing or not a
    ///   JSON object.
    public init(contentsOf url: URL) throws {
        file = url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InteropError(kind: .invalidFile, file: file, detail: "no such file")
        }
        do {
            values = try JSONDecoder().decode([String: JSONValue].self, from: data)
        } catch {
            throw InteropError(kind: .invalidFile, file: file, detail: "not a JSON object")
        }
    }

    /// The keys present, sorted.
    public var keys: [String] { values.keys.sorted() }

    /// Whether `key` is present with a non-null value.
    public func contains(_ key: String) -> Bool {
        if case .some(.null) = values[key] { return false }
        return values[key] != nil
    }

    /// The integer under `key`.
    public func int(_ key: String) throws -> Int? {
        switch values[key] {
        case nil, .null?: return nil
        case .number(let number)? where number.rounded() == number && abs(number) < 1e15:
            return Int(number)
        default: throw mistyped(key, "an integer")
        }
    }

    /// The number under `key`.
    public func double(_ key: String) throws -> Double? {
        switch values[key] {
        case nil, .null?: return nil
        case .number(let number)?: return number
        default: throw mistyped(key, "a number")
        }
    }

    /// The Boolean under `key`.
    public func bool(_ key: String) throws -> Bool? {
        switch values[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw mistyped(key, "true or false")
        }
    }

    /// The string under `key`.
    public func string(_ key: String) throws -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw mistyped(key, "a string")
        }
    }

    /// The strings under `key` (a list of strings).
    public func strings(_ key: String) throws -> [String]? {
        switch values[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map {
                guard case .string(let text) = $0 else { throw mistyped(key, "a list of strings") }
                return text
            }
        default: throw mistyped(key, "a list of strings")
        }
    }

    /// The ids under `key`: one integer, or a list of them (as `eos_token_id` may be).
    public func ids(_ key: String) throws -> [Int32]? {
        switch values[key] {
        case nil, .null?: return nil
        case .array(let items)?: return try items.map { try id($0, key: key) }
        case let value?: return [try id(value, key: key)]
        }
    }

    /// The id sequences under `key` (a list of lists of integers, as `bad_words_ids`).
    public func idSequences(_ key: String) throws -> [[Int32]]? {
        switch values[key] {
        case nil, .null?: return nil
        case .array(let rows)?:
            return try rows.map { row in
                guard case .array(let items) = row else {
                    throw mistyped(key, "a list of lists of ids")
                }
                return try items.map { try id($0, key: key) }
            }
        default: throw mistyped(key, "a list of lists of ids")
        }
    }

    /// `true`, `false` or `"never"` under `key` (`early_stopping`), as a string.
    func stoppingRule(_ key: String) throws -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag ? "true" : "false"
        case .string("never")?: return "never"
        default: throw mistyped(key, "true, false or \"never\"")
        }
    }

    private func id(_ value: JSONValue, key: String) throws -> Int32 {
        guard case .number(let number) = value, number.rounded() == number, number >= 0,
            number <= Double(Int32.max)
        else { throw mistyped(key, "a non-negative integer id") }
        return Int32(number)
    }

    private func mistyped(_ key: String, _ expected: String) -> InteropError {
        InteropError(kind: .invalidFile, file: file, detail: "`\(key)` must be \(expected)")
    }
}
