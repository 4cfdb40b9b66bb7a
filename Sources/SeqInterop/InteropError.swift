/// Thrown when a checkpoint from another toolkit cannot be imported.
///
/// The description names the file and the culprit: the unsupported `model_type` or setting,
/// the missing or unexpected tensor, the malformed field.
public struct InteropError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for matching.
    public enum Kind: Sendable, Equatable {
        /// The architecture, or one of its settings, has no native equivalent.
        case unsupported
        /// A tensor the architecture needs is not in the weights.
        case missingTensor
        /// The weights hold a tensor the architecture does not use.
        case unexpectedTensor
        /// A tensor has another shape than the config implies.
        case shapeMismatch
        /// A file is missing, unreadable or malformed.
        case invalidFile
    }

    /// What went wrong.
    public let kind: Kind
    /// The file concerned.
    public let file: String
    /// What was expected and what was found.
    public let detail: String

    /// Creates an error about `file`.
    public init(kind: Kind, file: String, detail: String) {
        self.kind = kind
        self.file = file
        self.detail = detail
    }

    /// `file: detail`.
    public var description: String { "\(file): \(detail)" }
}
