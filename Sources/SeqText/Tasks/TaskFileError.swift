/// Thrown when a task data or predictions file is malformed or cannot be written: the message
/// names the file and, where there is one, the 1-based line.
public struct TaskFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file, as the caller gave it.
    public let file: String
    /// The 1-based line, or `nil` when the problem concerns the whole file.
    public let line: Int?
    /// What was expected and what was found.
    public let detail: String

    /// Creates an error.
    public init(file: String, line: Int?, detail: String) {
        self.file = file
        self.line = line
        self.detail = detail
    }

    /// `file:line: detail`, or `file: detail`.
    public var description: String {
        if let line { return "\(file):\(line): \(detail)" }
        return "\(file): \(detail)"
    }
}
