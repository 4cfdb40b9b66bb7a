import CSentencePiece
import Foundation

/// A SentencePiece model (unigram, BPE, character or word), run by the SentencePiece C++ library.
///
/// Ids and pieces are exactly those of the model file, so they agree with Python's
/// `sentencepiece` on the same `.model`. Loaded models are immutable; encoding and decoding
/// from several threads at once is safe.
public final class SentencePieceTokenizer: Tokenizer, @unchecked Sendable {
    // @unchecked: the processor is never mutated after loading, and SentencePiece's const
    // encode/decode methods keep no shared state.
    private let handle: OpaquePointer

    /// The number of pieces in the model.
    public let vocabularySize: Int
    /// The id of `<pad>`, or `nil` when the model has none.
    public let padID: Int32?
    /// The id of `<s>`, or `nil` when the model has none.
    public let startID: Int32?
    /// The id of `</s>`, or `nil` when the model has none.
    public let endID: Int32?
    /// The id of `<unk>`, or `nil` when the model has none.
    public let unknownID: Int32?

    /// Takes ownership of a loaded processor.
    init(handle: OpaquePointer) {
        self.handle = handle
        vocabularySize = Int(spshim_piece_count(handle))
        func optionalID(_ id: Int32) -> Int32? { id >= 0 ? id : nil }
        padID = optionalID(spshim_pad_id(handle))
        startID = optionalID(spshim_start_id(handle))
        endID = optionalID(spshim_end_id(handle))
        unknownID = optionalID(spshim_unknown_id(handle))
    }

    deinit { spshim_free_processor(handle) }

    /// Loads the `.model` file at `url`; the error names the file when it is missing or corrupt.
    public convenience init(contentsOf url: URL) throws {
        let file = url.displayPath
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TokenizerError(kind: .unreadableFile, file: file, detail: "no such file")
        }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw TokenizerError(kind: .unreadableFile, file: file, detail: "cannot be read")
        }
        try self.init(serialized: bytes, file: file)
    }

    /// Loads a model from the bytes of a `.model` file (a serialized `ModelProto`).
    public convenience init(serialized bytes: Data) throws {
        try self.init(serialized: bytes, file: nil)
    }

    private convenience init(serialized bytes: Data, file: String?) throws {
        var error: UnsafeMutablePointer<CChar>?
        let loaded = bytes.withUnsafeBytes { buffer in
            spshim_load_bytes(
                buffer.baseAddress?.assumingMemoryBound(to: CChar.self), buffer.count, &error)
        }
        guard let loaded else {
            throw TokenizerError(
                kind: .corruptModel, file: file,
                detail: "not a valid SentencePiece model (\(takeMessage(error)))")
        }
        self.init(handle: loaded)
    }

    /// The model's `.model` file bytes (a serialized `ModelProto`).
    public func serialized() -> Data {
        var bytes: UnsafeMutablePointer<CChar>?
        var size = 0
        var error: UnsafeMutablePointer<CChar>?
        guard spshim_serialize(handle, &bytes, &size, &error) == 1, let bytes else {
            preconditionFailure("SentencePieceTokenizer.serialized: \(takeMessage(error))")
        }
        defer { spshim_free_buffer(bytes) }
        return Data(bytes: bytes, count: size)
    }

    /// Writes the `.model` file to `url` through a temporary file, so a failure leaves any
    /// existing file untouched.
    public func write(to url: URL) throws {
        do {
            try serialized().write(to: url, options: .atomic)
        } catch {
            throw TokenizerError(
                kind: .unwritableFile, file: url.displayPath, detail: "cannot be written")
        }
    }

    /// The id of `piece` (such as `"▁the"`), or `nil` when it is not in the vocabulary.
    public func id(of piece: String) -> Int32? {
        var piece = piece
        let id = piece.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                spshim_piece_to_id(handle, $0.baseAddress, $0.count)
            }
        }
        return id >= 0 ? id : nil
    }

    /// The piece of `id`, or `nil` when `id` is outside `0..<vocabularySize`.
    public func piece(of id: Int32) -> String? {
        var bytes: UnsafeMutablePointer<CChar>?
        var length = 0
        guard spshim_id_to_piece(handle, id, &bytes, &length) == 1, let bytes else { return nil }
        defer { spshim_free_buffer(bytes) }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// The ids of `text`'s pieces, without start or end tokens.
    public func encode(_ text: String) -> [Int32] {
        var ids: UnsafeMutablePointer<Int32>?
        var count = 0
        var error: UnsafeMutablePointer<CChar>?
        let succeeded = withUTF8Bytes(of: text) {
            spshim_encode_ids(handle, $0, $1, &ids, &count, &error)
        }
        guard succeeded == 1, let ids else {
            preconditionFailure("SentencePieceTokenizer.encode: \(takeMessage(error))")
        }
        defer { spshim_free_buffer(ids) }
        return Array(UnsafeBufferPointer(start: ids, count: count))
    }

    /// The pieces of `text` (such as `["▁Hel", "lo"]`), one per id of `encode(text)`.
    public func pieces(_ text: String) -> [String] {
        var bytes: UnsafeMutablePointer<CChar>?
        var lengths: UnsafeMutablePointer<Int>?
        var count = 0
        var error: UnsafeMutablePointer<CChar>?
        let succeeded = withUTF8Bytes(of: text) {
            spshim_encode_pieces(handle, $0, $1, &bytes, &lengths, &count, &error)
        }
        guard succeeded == 1, let bytes, let lengths else {
            preconditionFailure("SentencePieceTokenizer.pieces: \(takeMessage(error))")
        }
        defer {
            spshim_free_buffer(bytes)
            spshim_free_buffer(lengths)
        }
        var result: [String] = []
        result.reserveCapacity(count)
        var offset = 0
        for index in 0..<count {
            let piece = UnsafeRawBufferPointer(start: bytes + offset, count: lengths[index])
            result.append(String(decoding: piece, as: UTF8.self))
            offset += lengths[index]
        }
        return result
    }

    /// The text of `ids`, without control pieces (pad, start, end).
    ///
    /// SentencePiece writes unknown pieces as ` ⁇ `. Traps when an id is outside
    /// `0..<vocabularySize`.
    public func decode(_ ids: [Int32]) -> String {
        checkDecodable(ids, type: "SentencePieceTokenizer")
        var text: UnsafeMutablePointer<CChar>?
        var length = 0
        var error: UnsafeMutablePointer<CChar>?
        let succeeded = ids.withUnsafeBufferPointer {
            spshim_decode_ids(handle, $0.baseAddress, $0.count, &text, &length, &error)
        }
        guard succeeded == 1, let text else {
            preconditionFailure("SentencePieceTokenizer.decode: \(takeMessage(error))")
        }
        defer { spshim_free_buffer(text) }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
    }
}

/// Calls `body` with `text`'s UTF-8 bytes as a C pointer and byte count.
private func withUTF8Bytes<Result>(
    of text: String, _ body: (UnsafePointer<CChar>?, Int) -> Result
) -> Result {
    var text = text
    return text.withUTF8 { buffer in
        buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress, $0.count) }
    }
}

/// The message of a shim error, freeing its buffer.
func takeMessage(_ error: UnsafeMutablePointer<CChar>?) -> String {
    guard let error else { return "unknown SentencePiece error" }
    defer { spshim_free_buffer(error) }
    return String(cString: error)
}
