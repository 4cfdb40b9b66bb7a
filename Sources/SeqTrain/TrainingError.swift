/// A problem with a training run's inputs or outputs: a config, a data file, a directory.
///
/// The description names the file (and line or key where there is one) and what is wrong.
public struct TrainingError: Error, CustomStringConvertible, Sendable {
    /// The file, directory or config key concerned.
    public let file: String
    /// What is wrong, in words.
    public let detail: String

    /// Creates an error about `file`.
    public init(file: String, detail: String) {
        self.file = file
        self.detail = detail
    }

    /// `file: detail`.
    public var description: String { "\(file): \(detail)" }
}
