import Foundation

/// Thrown when a data file cannot be read: the message names the file and, where there is one,
/// the 1-based line.
public struct ReaderError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for matching.
    public enum Kind: Sendable, Equatable {
        /// The file does not exist, is a directory, or fails to read (e.g. corrupt gzip data).
        case unreadableFile
        /// A line is not valid UTF-8.
        case invalidUTF8
        /// Two parallel files have different numbers of lines.
        case lineCountMismatch
        /// A TSV line has fewer columns than requested.
        case missingColumn
        /// A JSON-lines line is not valid JSON or not a JSON object.
        case invalidJSON
        /// A JSON-lines object lacks a requested key.
        case missingKey
        /// A JSON-lines value is not a string.
        case invalidValue
    }

    /// What went wrong.
    public let kind: Kind
    /// The file, as the caller gave it (the source file for a line-count mismatch).
    public let file: String
    /// The 1-based line, or `nil` when the problem concerns the whole file.
    public let line: Int?
    /// What was expected and what was found.
    public let detail: String

    /// Creates an error.
    public init(kind: Kind, file: String, line: Int?, detail: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.detail = detail
    }

    /// `file:line: detail`, or `file: detail`; a line-count mismatch, which names both files
    /// in its detail, is just the detail.
    public var description: String {
        if let line { return "\(file):\(line): \(detail)" }
        return kind == .lineCountMismatch ? detail : "\(file): \(detail)"
    }
}

extension URL {
    /// The path as the caller wrote it (relative stays relative), for messages.
    var displayPath: String { isFileURL ? relativePath : absoluteString }
}

/// `1 line`, `2 lines`.
func lineCount(_ count: Int) -> String { count == 1 ? "1 line" : "\(count) lines" }
