import Foundation

/// Reads and writes the safetensors format of Hugging Face's `safetensors` package.
///
/// A file is an 8-byte little-endian header length `N`, then `N` bytes of JSON mapping each
/// tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets into the data
/// that follows; an optional `"__metadata__"` maps strings to strings), padded with spaces so
/// the data starts at a multiple of 8, then the tensors' bytes, little-endian, back to back.
///
/// Reading converts `F32`, `F16` and `BF16` to `Float`; writing stores `F32` and produces the
/// same bytes as `safetensors.torch.save_file` for the same tensors (the order of metadata
/// entries aside, which Python leaves to a hash map and this writer sorts).
///
/// ```swift
/// try SafeTensors.write(model.stateDictionary(), metadata: ["format": "pt"], to: url)
/// let (tensors, metadata) = try SafeTensors.read(contentsOf: url)
/// ```
public enum SafeTensors {
    /// The largest header accepted, as in the reference implementation.
    public static let maximumHeaderLength = 100_000_000

    /// Reads every tensor and the metadata of the file at `url`.
    ///
    /// - Returns: Tensors by name, converted to `Float`, and the `__metadata__` strings (empty
    ///   when the file has none).
    /// - Throws: `SafeTensorsError` naming the file and the problem: unreadable or truncated
    ///   file, header length beyond the file, invalid JSON, unsupported dtype, `data_offsets`
    ///   out of range or inconsistent with the shape (naming the tensor).
    public static func read(
        contentsOf url: URL
    ) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let file = url.path
        guard FileManager.default.fileExists(atPath: file) else {
            throw SafeTensorsError(kind: .io, file: file, detail: "no such file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw SafeTensorsError(kind: .io, file: file, detail: "cannot read the file (\(error))")
        }
        return try decode(data, file: file)
    }

    /// Parses safetensors bytes held in memory; `file` names them in errors.
    public static func decode(
        _ data: Data, file: String
    ) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let header = try SafeTensorsHeader(data, file: file)
        var tensors: [String: Tensor] = [:]
        data.withUnsafeBytes { bytes in
            for entry in header.entries {
                tensors[entry.name] = entry.tensor(from: bytes, dataStart: header.dataStart)
            }
        }
        return (tensors, header.metadata)
    }

    /// The bytes of a safetensors file holding `tensors` as `F32` and `metadata`.
    ///
    /// Tensors are stored in byte order of their names, fields in the order `dtype`, `shape`,
    /// `data_offsets`, metadata entries sorted by key (and left out when empty), and the header
    /// padded with spaces to a multiple of 8 bytes, as the Python package writes them.
    public static func encoded(_ tensors: [String: Tensor], metadata: [String: String] = [:])
        -> Data
    {
        precondition(
            tensors["__metadata__"] == nil,
            "SafeTensors: `__metadata__` is reserved, not a tensor name")
        let names = tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var fields: [String] = []
        if !metadata.isEmpty {
            let entries = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            fields.append("\"__metadata__\":{\(entries.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            guard let tensor = tensors[name] else { continue }
            let end = offset + tensor.count * MemoryLayout<Float>.size
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append(
                "\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}"
            )
            offset = end
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        header.append(
            contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for name in names {
            guard let tensor = tensors[name] else { continue }
            tensor.withUnsafeBufferPointer { scalars in
                #if _endian(big)
                    for scalar in scalars {
                        withUnsafeBytes(of: scalar.bitPattern.littleEndian) {
                            data.append(contentsOf: $0)
                        }
                    }
                #else
                    data.append(
                        UnsafeBufferPointer(start: scalars.baseAddress, count: scalars.count))
                #endif
            }
        }
        return data
    }

    /// Writes `tensors` as `F32` with `metadata` to `url`, atomically.
    ///
    /// The bytes go to a temporary file in the same directory, are flushed to disk, and then
    /// replace `url` by a rename, so a crash leaves either the old file or the new one.
    ///
    /// - Throws: `SafeTensorsError` of kind `.io` naming the file.
    public static func write(
        _ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL
    ) throws {
        do {
            try writeFileAtomically(encoded(tensors, metadata: metadata), to: url)
        } catch let error as FileWriteError {
            throw SafeTensorsError(kind: .io, file: url.path, detail: error.reason)
        }
    }
}

/// A JSON string literal escaped as `serde_json` escapes it: quotes, backslashes and control
/// characters only, everything else as raw UTF-8.
private func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\u{08}": result += "\\b"
        case "\u{0C}": result += "\\f"
        case "\u{00}"..."\u{1F}":
            let hex = String(scalar.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
