/// Thrown when a safetensors file cannot be read or written.
///
/// The description names the file and, where one is involved, the tensor or header field:
/// ``model.safetensors: tensor `encoder.weight` has unsupported dtype "I64"; readable dtypes
/// are F32, F16, BF16``.
public struct SafeTensorsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for matching.
    public enum Kind: Sendable, Equatable {
        /// The file could not be opened, read or written.
        case io
        /// The file is shorter than its 8-byte header length.
        case truncated
        /// The header length is larger than the rest of the file (or than 100 MB).
        case invalidHeaderLength
        /// The header is not a JSON object.
        case invalidJSON
        /// A header entry lacks a field or has one of the wrong type.
        case invalidHeader
        /// A tensor's dtype is not one this reader converts.
        case unsupportedDType
        /// A tensor's `data_offsets` are out of range, disagree with its shape, or leave gaps.
        case invalidOffsets
    }

    /// What went wrong.
    public let kind: Kind
    /// The file involved, as given by the caller.
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
