import Foundation
import SeqTensor

/// A reference fixture written by a script under `tools/fixtures/`: named tensors, a
/// tolerance, and metadata (script, library versions, command).
///
/// The JSON layout is `{"meta": {...}, "tolerance": 1e-5, "tensors": {"name": {"shape": [...],
/// "data": [...]}}}`; `tools/fixtures/fixture_io.py` writes it.
public struct Fixture: Sendable {
    /// The file the fixture came from, for messages.
    public let name: String
    /// Relative tolerance stated by the generating script.
    public let tolerance: Float
    /// Every stored tensor by name.
    public let tensors: [String: Tensor]
    /// Free-form metadata (script name, versions, settings) as strings.
    public let meta: [String: String]

    private struct Stored: Decodable {
        struct StoredTensor: Decodable {
            let shape: [Int]
            let data: [Float]
        }
        let tolerance: Float
        let tensors: [String: StoredTensor]
        let meta: [String: MetaValue]?
    }

    private enum MetaValue: Decodable {
        case text(String)
        case other(String)
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else if let number = try? container.decode(Double.self) {
                self = .other(String(number))
            } else if let flag = try? container.decode(Bool.self) {
                self = .other(String(flag))
            } else {
                self = .other("")
            }
        }
        var string: String {
            switch self {
            case .text(let value), .other(let value): return value
            }
        }
    }

    /// Loads `Fixtures/<name>.json` from a test bundle (`Bundle.module` of the test target).
    public static func load(_ name: String, in bundle: Bundle) throws -> Fixture {
        guard
            let url = bundle.url(forResource: name, withExtension: "json", subdirectory: "Fixtures")
        else {
            throw CocoaError(
                .fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name).json"])
        }
        let stored = try JSONDecoder().decode(Stored.self, from: Data(contentsOf: url))
        var tensors: [String: Tensor] = [:]
        for (key, value) in stored.tensors {
            tensors[key] = Tensor(shape: value.shape, scalars: value.data)
        }
        return Fixture(
            name: "\(name).json", tolerance: stored.tolerance, tensors: tensors,
            meta: (stored.meta ?? [:]).mapValues(\.string))
    }

    /// The tensor stored under `key`; traps, naming the fixture and key, if it is missing.
    public subscript(key: String) -> Tensor {
        guard let tensor = tensors[key] else {
            preconditionFailure("\(name): no tensor `\(key)`; has \(tensors.keys.sorted())")
        }
        return tensor
    }

    /// The integer values stored under `key` (ids, targets), as `Int32`.
    public func ids(_ key: String) -> [Int32] { self[key].scalars.map { Int32($0) } }
}
