import Foundation

/// The validated header of a safetensors file: every tensor's dtype, shape and byte range.
///
/// Validation follows the reference implementation: the ranges must match the shapes, lie
/// inside the data section, and cover it exactly, without gaps or overlaps.
struct SafeTensorsHeader {
    /// One tensor's place in the data section.
    struct Entry {
        let name: String
        let dtype: DType
        let shape: [Int]
        let begin: Int
        let end: Int

        /// Validates the header entry `raw` of tensor `name` against a data section of
        /// `dataSize` bytes.
        init(name: String, raw: RawEntry, dataSize: Int, file: String) throws {
            func failure(_ kind: SafeTensorsError.Kind, _ detail: String) -> SafeTensorsError {
                SafeTensorsError(kind: kind, file: file, detail: detail)
            }
            guard raw.isObject else {
                throw failure(.invalidHeader, "tensor `\(name)`: entry is not a JSON object")
            }
            guard let dtypeName = raw.dtype else {
                throw failure(.invalidHeader, "tensor `\(name)`: `dtype` must be a string")
            }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw failure(
                    .unsupportedDType,
                    "tensor `\(name)` has unsupported dtype \"\(dtypeName)\"; readable dtypes are F32, F16, BF16"
                )
            }
            guard let shape = raw.shape, shape.allSatisfy({ $0 >= 0 }) else {
                throw failure(
                    .invalidHeader, "tensor `\(name)`: `shape` must be a list of sizes ≥ 0")
            }
            guard let offsets = raw.dataOffsets, offsets.count == 2, offsets[0] >= 0,
                offsets[0] <= offsets[1]
            else {
                throw failure(
                    .invalidOffsets,
                    "tensor `\(name)`: `data_offsets` must be [begin, end] with 0 ≤ begin ≤ end")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard end <= dataSize else {
                throw failure(
                    .invalidOffsets,
                    "tensor `\(name)`: data_offsets [\(begin), \(end)] reach beyond the \(dataSize)-byte data section (truncated file?)"
                )
            }
            var byteCount: Int? = dtype.size
            for size in shape {
                guard let total = byteCount else { break }
                let (product, overflow) = total.multipliedReportingOverflow(by: size)
                byteCount = overflow ? nil : product
            }
            guard byteCount == end - begin else {
                throw failure(
                    .invalidOffsets,
                    "tensor `\(name)`: data_offsets [\(begin), \(end)] hold \(end - begin) bytes, but \(dtypeName) \(shape) needs \(byteCount.map(String.init) ?? "more than Int.max")"
                )
            }
            (self.name, self.dtype, self.shape, self.begin, self.end) = (
                name, dtype, shape, begin, end
            )
        }

        /// The tensor converted to `Float`, read from `bytes` (the whole file).
        func tensor(from bytes: UnsafeRawBufferPointer, dataStart: Int) -> Tensor {
            let tensor = Tensor(uninitializedShape: shape)
            let count = tensor.count
            let start = dataStart + begin
            let output = tensor.storage.pointer
            switch dtype {
            case .f32:
                #if _endian(big)
                    for i in 0..<count {
                        let bits = bytes.loadUnaligned(
                            fromByteOffset: start + 4 * i, as: UInt32.self)
                        output[i] = Float(bitPattern: UInt32(littleEndian: bits))
                    }
                #else
                    guard let base = bytes.baseAddress, count > 0 else { break }
                    UnsafeMutableRawPointer(output).copyMemory(
                        from: base + start, byteCount: 4 * count)
                #endif
            case .f16:
                for i in 0..<count {
                    let bits = bytes.loadUnaligned(fromByteOffset: start + 2 * i, as: UInt16.self)
                    output[i] = floatFromHalfBits(UInt16(littleEndian: bits))
                }
            case .bf16:
                for i in 0..<count {
                    let bits = bytes.loadUnaligned(fromByteOffset: start + 2 * i, as: UInt16.self)
                    output[i] = floatFromBFloat16Bits(UInt16(littleEndian: bits))
                }
            }
            return tensor
        }
    }

    /// The element types this reader converts to `Float`.
    enum DType: String {
        case f32 = "F32"
        case f16 = "F16"
        case bf16 = "BF16"

        var size: Int { self == .f32 ? 4 : 2 }
    }

    let metadata: [String: String]
    /// Tensors in data order.
    let entries: [Entry]
    /// Offset of the data section in the file.
    let dataStart: Int

    /// Parses and validates the header of `data`, the whole file; `file` names it in errors.
    init(_ data: Data, file: String) throws {
        func failure(_ kind: SafeTensorsError.Kind, _ detail: String) -> SafeTensorsError {
            SafeTensorsError(kind: kind, file: file, detail: detail)
        }
        guard data.count >= 8 else {
            throw failure(
                .truncated,
                "truncated file: \(data.count) bytes, shorter than the 8-byte header length")
        }
        var length: UInt64 = 0
        for (shift, byte) in data.prefix(8).enumerated() { length |= UInt64(byte) << (8 * shift) }
        guard length <= UInt64(data.count - 8) else {
            throw failure(
                .invalidHeaderLength,
                "header length \(length) is beyond the file size of \(data.count) bytes")
        }
        guard length <= UInt64(SafeTensors.maximumHeaderLength) else {
            throw failure(
                .invalidHeaderLength,
                "header length \(length) exceeds the limit of \(SafeTensors.maximumHeaderLength) bytes"
            )
        }
        dataStart = 8 + Int(length)
        let dataSize = data.count - dataStart

        let raw: [String: RawEntry]
        do {
            let start = data.startIndex
            raw = try JSONDecoder().decode(
                [String: RawEntry].self, from: data[(start + 8)..<(start + dataStart)])
        } catch DecodingError.typeMismatch {
            throw failure(.invalidJSON, "invalid JSON header: not a JSON object")
        } catch {
            throw failure(.invalidJSON, "invalid JSON header (\(jsonProblem(error)))")
        }

        if let stored = raw["__metadata__"] {
            guard let strings = stored.strings else {
                throw failure(.invalidHeader, "`__metadata__` must map strings to strings")
            }
            metadata = strings
        } else {
            metadata = [:]
        }

        var entries: [Entry] = []
        for name in raw.keys.sorted() where name != "__metadata__" {
            guard let entry = raw[name] else { continue }
            entries.append(try Entry(name: name, raw: entry, dataSize: dataSize, file: file))
        }

        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        for entry in entries {
            guard entry.begin == covered else {
                throw failure(
                    .invalidOffsets,
                    "tensor `\(entry.name)`: data_offsets [\(entry.begin), \(entry.end)] \(entry.begin < covered ? "overlap" : "leave a gap after") byte \(covered)"
                )
            }
            covered = entry.end
        }
        guard covered == dataSize else {
            throw failure(
                .invalidOffsets,
                "tensors cover \(covered) bytes of the \(dataSize)-byte data section")
        }
        self.entries = entries
    }
}

/// One value of the header object, decoded leniently so that each problem gets its own message.
struct RawEntry: Decodable {
    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    let isObject: Bool
    let dtype: String?
    let shape: [Int]?
    let dataOffsets: [Int]?
    /// The value as a string map, for `__metadata__`.
    let strings: [String: String]?

    init(from decoder: any Decoder) throws {
        let container = try? decoder.container(keyedBy: Key.self)
        isObject = container != nil
        dtype = try? container?.decode(String.self, forKey: Key(stringValue: "dtype"))
        shape = try? container?.decode([Int].self, forKey: Key(stringValue: "shape"))
        dataOffsets = try? container?.decode([Int].self, forKey: Key(stringValue: "data_offsets"))
        strings = try? decoder.singleValueContainer().decode([String: String].self)
    }
}

/// The useful part of a JSON parsing error: Foundation's underlying message when it has one.
private func jsonProblem(_ error: any Error) -> String {
    guard case DecodingError.dataCorrupted(let context) = error else { return "\(error)" }
    if let underlying = context.underlyingError {
        return (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            ?? "\(underlying)"
    }
    return context.debugDescription
}
