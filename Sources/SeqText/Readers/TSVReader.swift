import Foundation

/// Reads chosen columns of a tab-separated file, streaming, UTF-8, gzip read transparently.
///
/// No quoting: every tab separates columns and every line is one row (as in Tatoeba and
/// OPUS-style `.tsv` corpora). Empty lines are rows with one empty column.
public struct TSVReader: Sendable {
    /// The file.
    public let file: URL
    /// The 0-based column indices read from each line, in the order they are returned.
    public let columns: [Int]

    /// A reader of `columns` (0-based) of `file`; nothing is opened until reading.
    public init(file: URL, columns: [Int]) {
        precondition(!columns.isEmpty, "TSVReader: no columns requested")
        precondition(columns.allSatisfy { $0 >= 0 }, "TSVReader: negative column in \(columns)")
        self.file = file
        self.columns = columns
    }

    /// Calls `body` with the requested columns of each line, in file order; a line with too few
    /// columns throws `ReaderError.missingColumn` naming its line.
    public func forEachRow(_ body: ([String]) throws -> Void) throws {
        let reader = try LineReader(contentsOf: file)
        let needed = (columns.max() ?? 0) + 1
        while let line = try reader.nextLine() {
            // Split on the tab byte: a tab followed by a combining mark would hide inside one
            // Character.
            let fields = line.utf8.split(separator: 0x09, omittingEmptySubsequences: false)
            guard fields.count >= needed else {
                throw ReaderError(
                    kind: .missingColumn, file: reader.file, line: reader.lineNumber,
                    detail:
                        "expected at least \(needed) tab-separated columns, found \(fields.count)")
            }
            try body(columns.map { String(Substring(fields[$0])) })
        }
    }

    /// The requested columns of every line, in file order.
    public func readAll() throws -> [[String]] {
        var rows: [[String]] = []
        try forEachRow { rows.append($0) }
        return rows
    }

    /// Every line as a pair of its two requested columns (source first); traps unless exactly
    /// two columns were requested.
    public func readPairs() throws -> [TextPair] {
        precondition(columns.count == 2, "TSVReader.readPairs: needs 2 columns, has \(columns)")
        var pairs: [TextPair] = []
        try forEachRow { pairs.append(TextPair(source: $0[0], target: $0[1])) }
        return pairs
    }
}
