import Foundation

/// Reads string fields of a JSON-lines file, streaming, UTF-8, gzip read transparently.
///
/// Each line holds one JSON object, such as `{"source": "…", "target": "…"}`.
/// Blank lines are skipped. Keys not requested are ignored whatever their type.
public struct JSONLinesReader: Sendable {
    /// The file.
    public let file: URL
    /// The keys read from each object, in the order they are returned.
    public let keys: [String]

    /// A reader of `keys` of `file`; nothing is opened until reading.
    public init(file: URL, keys: [String]) {
        precondition(!keys.isEmpty, "JSONLinesReader: no keys requested")
        self.file = file
        self.keys = keys
    }

    /// Calls `body` with the values of the requested keys on each line, in file order.
    ///
    /// Throws, naming the line, for invalid JSON, a line that is not an object, a missing key, or a
    /// value that is not a string.
    public func forEachRow(_ body: ([String]) throws -> Void) throws {
        let reader = try LineReader(contentsOf: file)
        while let line = try reader.nextLine() {
            if line.allSatisfy(\.isWhitespace) { continue }
            func failure(_ kind: ReaderError.Kind, _ detail: String) -> ReaderError {
                ReaderError(kind: kind, file: reader.file, line: reader.lineNumber, detail: detail)
            }
            let parsed: Any
            do {
                parsed = try JSONSerialization.jsonObject(
                    with: Data(line.utf8), options: [.fragmentsAllowed])
            } catch {
                throw failure(.invalidJSON, "invalid JSON")
            }
            guard let object = parsed as? [String: Any] else {
                throw failure(.invalidJSON, "expected a JSON object")
            }
            var row: [String] = []
            row.reserveCapacity(keys.count)
            for key in keys {
                guard let value = object[key] else {
                    throw failure(.missingKey, "missing key \"\(key)\"")
                }
                guard let text = value as? String else {
                    throw failure(.invalidValue, "the value of \"\(key)\" is not a string")
                }
                row.append(text)
            }
            try body(row)
        }
    }

    /// The values of the requested keys on every line, in file order.
    public func readAll() throws -> [[String]] {
        var rows: [[String]] = []
        try forEachRow { rows.append($0) }
        return rows
    }

    /// Every line as a pair of its two requested values (source first); traps unless exactly
    /// two keys were requested.
    public func readPairs() throws -> [TextPair] {
        precondition(keys.count == 2, "JSONLinesReader.readPairs: needs 2 keys, has \(keys)")
        var pairs: [TextPair] = []
        try forEachRow { pairs.append(TextPair(source: $0[0], target: $0[1])) }
        return pairs
    }
}
