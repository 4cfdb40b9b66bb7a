#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// A safetensors file opened for reading one tensor at a time, straight into memory the caller
/// owns.
///
/// `SafeTensors.read(contentsOf:)` holds the whole file and a copy of every tensor at once;
/// this reads the validated header only, then each tensor on request, so loading a model's
/// weights into its parameters needs no second copy of them.
///
/// ```swift
/// let file = try SafeTensorsFile(contentsOf: url)
/// try parameter.updateInPlace { try file.read("encoder.weight", into: $0) }
/// ```
public struct SafeTensorsFile: Sendable {
    /// The file.
    public let url: URL
    /// The `__metadata__` strings (empty when the file has none).
    public let metadata: [String: String]
    /// The shape of every tensor, by name.
    public let shapes: [String: [Int]]
    private let entries: [String: Place]
    private let dataStart: Int

    /// Where one tensor's bytes are and how to convert them.
    private struct Place: Sendable {
        let dtype: SafeTensorsHeader.DType
        let begin: Int
        let end: Int
    }

    /// Reads and validates the header of the file at `url` (the tensors' bytes are not read).
    ///
    /// - Throws: `SafeTensorsError` as `SafeTensors.read(contentsOf:)` does for the header.
    public init(contentsOf url: URL) throws {
        let file = url.path
        guard FileManager.default.fileExists(atPath: file) else {
            throw SafeTensorsError(kind: .io, file: file, detail: "no such file")
        }
        let header: SafeTensorsHeader
        do {
            // Mapped, not read: validating the header touches only the header's pages.
            let data = try Data(contentsOf: url, options: .alwaysMapped)
            header = try SafeTensorsHeader(data, file: file)
        } catch let error as SafeTensorsError {
            throw error
        } catch {
            throw SafeTensorsError(kind: .io, file: file, detail: "cannot read the file (\(error))")
        }
        self.url = url
        metadata = header.metadata
        dataStart = header.dataStart
        var shapes: [String: [Int]] = [:]
        var entries: [String: Place] = [:]
        for entry in header.entries {
            shapes[entry.name] = entry.shape
            entries[entry.name] = Place(dtype: entry.dtype, begin: entry.begin, end: entry.end)
        }
        self.shapes = shapes
        self.entries = entries
    }

    /// Reads tensor `name`, converted to `Float`, into `buffer`, which must hold exactly its
    /// element count.
    ///
    /// - Throws: `SafeTensorsError` (`.io`) when the file cannot be read, or
    ///   (`.invalidHeader`) when it has no tensor `name`.
    public func read(_ name: String, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        let file = url.path
        guard let place = entries[name] else {
            throw SafeTensorsError(kind: .invalidHeader, file: file, detail: "no tensor `\(name)`")
        }
        let dtype = place.dtype
        let byteCount = place.end - place.begin
        precondition(
            buffer.count * dtype.size == byteCount,
            "SafeTensorsFile.read: `\(name)` holds \(byteCount / dtype.size) elements, buffer \(buffer.count)"
        )
        guard byteCount > 0, let base = buffer.baseAddress else { return }
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else {
            throw SafeTensorsError(kind: .io, file: file, detail: "cannot open the file")
        }
        defer { close(descriptor) }
        let offset = dataStart + place.begin
        switch dtype {
        case .f32:
            try readBytes(
                descriptor, into: UnsafeMutableRawPointer(base), count: byteCount, offset: offset)
            #if _endian(big)
                for i in 0..<buffer.count {
                    buffer[i] = Float(bitPattern: UInt32(littleEndian: buffer[i].bitPattern))
                }
            #endif
        case .f16, .bf16:
            var halves = [UInt16](repeating: 0, count: buffer.count)
            try halves.withUnsafeMutableBytes { raw in
                guard let raw = raw.baseAddress else { return }
                try readBytes(descriptor, into: raw, count: byteCount, offset: offset)
            }
            for (i, bits) in halves.enumerated() {
                let value = UInt16(littleEndian: bits)
                buffer[i] = dtype == .f16 ? floatFromHalfBits(value) : floatFromBFloat16Bits(value)
            }
        }
    }

    /// Reads `count` bytes at `offset` of the open file into `target`.
    private func readBytes(
        _ descriptor: Int32, into target: UnsafeMutableRawPointer, count: Int, offset: Int
    ) throws {
        var done = 0
        while done < count {
            let got = pread(descriptor, target + done, count - done, off_t(offset + done))
            guard got > 0 else {
                throw SafeTensorsError(
                    kind: .io, file: url.path,
                    detail:
                        "cannot read bytes \(offset + done)..<\(offset + count) (truncated file?)")
            }
            done += got
        }
    }
}
