import Foundation

/// A list of tokens, each identified by its position, with the four special tokens first:
/// `<pad>` = 0, `<s>` = 1, `</s>` = 2, `<unk>` = 3.
///
/// Tokens compare as Swift strings, so canonically equivalent spellings (`"é"` as one scalar or
/// as `e` + combining accent) are one token. Encodes as a JSON array of its tokens.
public struct Vocabulary: Sendable, Hashable, Codable {
    /// The padding token, id 0.
    public static let padToken = "<pad>"
    /// The start-of-sequence token, id 1.
    public static let startToken = "<s>"
    /// The end-of-sequence token, id 2.
    public static let endToken = "</s>"
    /// The unknown token, id 3.
    public static let unknownToken = "<unk>"
    /// The special tokens in id order.
    public static let specialTokens = [padToken, startToken, endToken, unknownToken]
    /// The id of `<pad>`.
    public static let padID: Int32 = 0
    /// The id of `<s>`.
    public static let startID: Int32 = 1
    /// The id of `</s>`.
    public static let endID: Int32 = 2
    /// The id of `<unk>`.
    public static let unknownID: Int32 = 3

    /// Every token, specials first; a token's id is its index.
    public let tokens: [String]
    private let ids: [String: Int32]

    /// The special tokens followed by `tokens` in order, skipping repeats and special tokens.
    public init(tokens: some Sequence<String>) {
        var all = Self.specialTokens
        var ids: [String: Int32] = [:]
        for (index, token) in all.enumerated() { ids[token] = Int32(index) }
        for token in tokens where ids[token] == nil {
            ids[token] = Int32(all.count)
            all.append(token)
        }
        self.tokens = all
        self.ids = ids
    }

    /// The tokens seen at least `minFrequency` times, most frequent first (ties in string
    /// order), keeping at most `maxSize` entries in all, specials included.
    public init(counting tokens: some Sequence<String>, minFrequency: Int = 1, maxSize: Int? = nil)
    {
        precondition(minFrequency >= 1, "Vocabulary: minFrequency \(minFrequency) < 1")
        if let maxSize {
            precondition(
                maxSize >= Self.specialTokens.count,
                "Vocabulary: maxSize \(maxSize) leaves no room for the 4 special tokens")
        }
        var counts: [String: Int] = [:]
        for token in tokens { counts[token, default: 0] += 1 }
        for special in Self.specialTokens { counts[special] = nil }
        var ranked = counts.filter { $0.value >= minFrequency }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map(\.key)
        if let maxSize { ranked = Array(ranked.prefix(maxSize - Self.specialTokens.count)) }
        self.init(tokens: ranked)
    }

    /// Decodes a JSON array of tokens that starts with the four special tokens, without repeats.
    public init(from decoder: any Decoder) throws {
        let tokens = try decoder.singleValueContainer().decode([String].self)
        guard tokens.starts(with: Self.specialTokens) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "a vocabulary must start with \(Self.specialTokens)"))
        }
        self.init(tokens: tokens)
        guard self.tokens.count == tokens.count else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "the vocabulary lists a token twice"))
        }
    }

    /// Encodes the tokens as one array.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(tokens)
    }

    /// Two vocabularies are equal when they list the same tokens in the same order.
    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool { lhs.tokens == rhs.tokens }

    /// Hashes the token list.
    public func hash(into hasher: inout Hasher) { hasher.combine(tokens) }

    /// The number of tokens, specials included.
    public var count: Int { tokens.count }

    /// The id of `token`, or `nil` when it is not in the vocabulary.
    public func id(of token: String) -> Int32? { ids[token] }

    /// The token of `id`, or `nil` when `id` is outside `0..<count`.
    public func token(of id: Int32) -> String? {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : nil
    }

    /// The text of `ids` as tokens joined by `separator`, skipping pad, start and end; `type`
    /// names the tokenizer in the trap for an id outside the vocabulary.
    func decode(_ ids: [Int32], separator: String, type: String) -> String {
        var parts: [String] = []
        parts.reserveCapacity(ids.count)
        for id in ids {
            guard let token = token(of: id) else {
                preconditionFailure(
                    "\(type).decode: id \(id) is outside the vocabulary (size \(count))")
            }
            if id != Self.padID && id != Self.startID && id != Self.endID { parts.append(token) }
        }
        return parts.joined(separator: separator)
    }
}

/// Reads a JSON-encoded tokenizer from `url`; the error names the file.
func loadJSON<Value: Decodable>(_ type: Value.Type, from url: URL) throws -> Value {
    let file = url.displayPath
    guard FileManager.default.fileExists(atPath: url.path) else {
        throw TokenizerError(kind: .unreadableFile, file: file, detail: "no such file")
    }
    let data: Data
    do {
        data = try Data(contentsOf: url)
    } catch {
        throw TokenizerError(kind: .unreadableFile, file: file, detail: "cannot be read")
    }
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch {
        throw TokenizerError(
            kind: .corruptModel, file: file, detail: "not a valid \(Value.self) file (\(error))")
    }
}

/// Writes `value` as JSON to `url` through a temporary file; the error names the file.
func writeJSON(_ value: some Encodable, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
        try encoder.encode(value).write(to: url, options: .atomic)
    } catch {
        throw TokenizerError(
            kind: .unwritableFile, file: url.displayPath, detail: "cannot be written")
    }
}
