/// Thrown when stored tensors or training state cannot be loaded into a model or optimizer.
///
/// The description names the file and the tensor or field, e.g.
/// ``bad.safetensors: `first.weight` is [3, 5], model expects [3, 4]``.
public struct CheckpointError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for matching.
    public enum Kind: Sendable, Equatable {
        /// A parameter (or optimizer state entry) has no stored tensor.
        case missingTensor
        /// A stored tensor matches no parameter (or optimizer state entry).
        case unexpectedTensor
        /// A stored tensor has a different shape than the parameter it belongs to.
        case shapeMismatch
        /// A stored value is out of range, such as a negative step count.
        case invalidValue
        /// A checkpoint file is missing or unreadable, or its JSON is malformed.
        case unreadable
        /// Writing a checkpoint failed; the previous checkpoint, if any, is untouched.
        case writeFailed
    }

    /// What went wrong.
    public let kind: Kind
    /// The file or directory involved, as given by the caller.
    public let file: String
    /// What was wrong with it, naming the tensor or field.
    public let detail: String

    /// Creates an error about `file`.
    public init(kind: Kind, file: String, detail: String) {
        self.kind = kind
        self.file = file
        self.detail = detail
    }

    /// `"<file>: <detail>"`.
    public var description: String { "\(file): \(detail)" }
}
