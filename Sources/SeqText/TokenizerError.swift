/// Thrown when a tokenizer cannot be loaded, saved or trained.
public struct TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for matching.
    public enum Kind: Sendable, Equatable {
        /// The model or vocabulary file does not exist or cannot be read.
        case unreadableFile
        /// The file or bytes are not a valid model or vocabulary.
        case corruptModel
        /// The file could not be written.
        case unwritableFile
        /// The training options are invalid.
        case invalidOptions
        /// SentencePiece rejected the training data or options.
        case trainingFailed
    }

    /// What went wrong.
    public let kind: Kind
    /// The file involved (as given by the caller), or `nil` for in-memory models and training.
    public let file: String?
    /// What was expected and what was found.
    public let detail: String

    /// Creates an error.
    public init(kind: Kind, file: String?, detail: String) {
        self.kind = kind
        self.file = file
        self.detail = detail
    }

    /// `file: detail`, or just `detail` when there is no file.
    public var description: String { file.map { "\($0): \(detail)" } ?? detail }
}
