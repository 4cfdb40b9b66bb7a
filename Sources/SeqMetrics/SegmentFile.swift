/// Text files of segments, read the way the sacrebleu command line reads them.
///
/// sacrebleu opens files as UTF-8 with `newline="\n"` and right-strips every line with
/// `str.rstrip()`. So only `\n` ends a line (a `\r` before it is stripped as trailing
/// whitespace, as are trailing tabs and no-break spaces), a final line without `\n` still
/// counts, and an empty file has no segments. A byte-order mark is kept, as sacrebleu keeps it.
public enum SegmentFile {
    /// Thrown when a file's bytes are not valid UTF-8.
    public struct InvalidUTF8: Error, Sendable, Hashable, CustomStringConvertible {
        /// The 1-based number of the first line with an invalid byte sequence.
        public let line: Int

        /// An error for line `line` (1-based).
        public init(line: Int) { self.line = line }

        /// `line 3 is not valid UTF-8`.
        public var description: String { "line \(line) is not valid UTF-8" }
    }

    /// The segments of a file's contents: its lines, each right-stripped of Python whitespace.
    ///
    /// - Throws: ``InvalidUTF8`` naming the first line that is not valid UTF-8.
    public static func segments(ofUTF8 bytes: [UInt8]) throws -> [String] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return try lines.enumerated().map { index, line in
            guard let text = String(validating: line, as: UTF8.self) else {
                throw InvalidUTF8(line: index + 1)
            }
            return string(from: pythonRightStripped(scalars(of: text)))
        }
    }
}
