import CZlib
import Foundation

/// Reads a UTF-8 text file line by line, streaming, with gzip decompressed transparently.
///
/// zlib recognises gzip data by its magic bytes (whatever the file is called) and passes other
/// files through unchanged. Lines end at `\n`; a trailing `\r` (CRLF files) and a UTF-8 byte
/// order mark at the start of the file are dropped; a last line without `\n` still counts.
/// Not thread-safe: use one reader per thread.
public final class LineReader {
    /// The file as given, for messages.
    public let file: String
    /// The 1-based number of the line last returned (0 before the first).
    public private(set) var lineNumber = 0

    private let path: String
    private let handle: gzFile
    private var chunk: [UInt8]
    private var position = 0
    private var filled = 0
    private var atEnd = false

    private static let chunkSize = 1 << 16

    /// Opens `url`; throws `ReaderError.unreadableFile` when it is missing or not a file.
    public init(contentsOf url: URL) throws {
        file = url.displayPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ReaderError(kind: .unreadableFile, file: file, line: nil, detail: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw ReaderError(
                kind: .unreadableFile, file: file, line: nil, detail: "is a directory")
        }
        guard let handle = gzopen(url.path, "rb") else {
            throw ReaderError(
                kind: .unreadableFile, file: file, line: nil, detail: "cannot be opened")
        }
        gzbuffer(handle, UInt32(Self.chunkSize))
        path = url.path
        self.handle = handle
        chunk = [UInt8](repeating: 0, count: Self.chunkSize)
    }

    deinit { gzclose(handle) }

    /// The next line without its line ending, or `nil` at the end of the file.
    public func nextLine() throws -> String? {
        var pending: [UInt8] = []
        var sawBytes = false
        while true {
            if position < filled {
                sawBytes = true
                if let newline = chunk[position..<filled].firstIndex(of: 0x0A) {
                    pending.append(contentsOf: chunk[position..<newline])
                    position = newline + 1
                    return try finishLine(pending)
                }
                pending.append(contentsOf: chunk[position..<filled])
                position = filled
            }
            if atEnd { return sawBytes ? try finishLine(pending) : nil }
            try refill()
        }
    }

    /// Reads the rest of the file and returns how many lines it had in all.
    public func countRemainingLines() throws -> Int {
        while try nextLine() != nil {}
        return lineNumber
    }

    private func refill() throws {
        let count = chunk.withUnsafeMutableBytes {
            gzread(handle, $0.baseAddress, UInt32($0.count))
        }
        // A read error gives -1; gzip data that stops mid-stream ends with 0 and Z_BUF_ERROR.
        var code: Int32 = Z_OK
        let message = gzerror(handle, &code).map { String(cString: $0) } ?? "read error"
        guard count > 0 || (count == 0 && code == Z_OK) else {
            // zlib prefixes its messages with the path.
            let reason =
                message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
            throw ReaderError(
                kind: .unreadableFile, file: file, line: lineNumber + 1,
                detail: "cannot be read (\(reason))")
        }
        position = 0
        filled = Int(count)
        atEnd = count == 0
    }

    private func finishLine(_ bytes: [UInt8]) throws -> String {
        lineNumber += 1
        var line = bytes[...]
        if line.last == 0x0D { line = line.dropLast() }
        if lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        guard let text = String(validating: line, as: UTF8.self) else {
            throw ReaderError(
                kind: .invalidUTF8, file: file, line: lineNumber,
                detail: "invalid UTF-8 at byte \(firstInvalidByte(line)) of the line")
        }
        return text
    }
}

/// The 1-based position of the first byte that breaks UTF-8 in `bytes`.
private func firstInvalidByte(_ bytes: ArraySlice<UInt8>) -> Int {
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = 0
    while true {
        switch parser.parseScalar(from: &iterator) {
        case .valid(let scalar): offset += scalar.count
        case .error, .emptyInput: return offset + 1
        }
    }
}
