import Foundation
import SeqNN
import SeqTensor
import Testing

/// A small module with a nested child, for loading tests.
private final class Pair: Module {
    final class Inner: Module {
        let weight: Parameter
        init(_ scale: Float) {
            weight = Parameter(Tensor(shape: [2, 3], scalars: (0..<6).map { Float($0) * scale }))
        }
    }
    let inner: Inner
    let bias: Parameter

    init(_ scale: Float) {
        inner = Inner(scale)
        bias = Parameter(Tensor([scale, -scale]))
    }
}

private func bits(_ module: Module) -> [UInt32] {
    module.parameters().flatMap { $0.value.scalars.map(\.bitPattern) }
}

@Suite struct InPlaceLoadingTests {
    @Test func loadInPlaceReadsEveryParameterExactly() throws {
        let directory = try makeTemporaryDirectory("in-place")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        let source = Pair(0.37)
        try SafeTensors.write(source.stateDictionary(), to: url)
        let model = Pair(-2)
        let snapshot = model.stateDictionary()
        try model.loadInPlace(contentsOf: url)
        #expect(bits(model) == bits(source))
        // Tensors handed out before keep their values (the storage is copied, not shared).
        #expect(snapshot["bias"]?.scalars == [-2, 2])
    }

    @Test func loadInPlaceRejectsMismatchesBeforeReading() throws {
        let directory = try makeTemporaryDirectory("in-place-errors")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("bad.safetensors")
        let good = Pair(0.5).stateDictionary()
        func message(_ stored: [String: Tensor]) throws -> String? {
            try SafeTensors.write(stored, to: url)
            let model = Pair(1)
            let before = bits(model)
            defer { #expect(bits(model) == before, "a failed load changed the model") }
            do {
                try model.loadInPlace(contentsOf: url)
                return nil
            } catch {
                return (error as? CheckpointError)?.description
            }
        }
        var missing = good
        missing["bias"] = nil
        #expect(try message(missing) == "\(url.path): no tensor for `bias`")
        var unexpected = good
        unexpected["extra"] = Tensor([1])
        #expect(try message(unexpected) == "\(url.path): unexpected tensor `extra`")
        var misshapen = good
        misshapen["inner.weight"] = .zeros([3, 2])
        #expect(
            try message(misshapen) == "\(url.path): `inner.weight` is [3, 2], model expects [2, 3]")
        let absent = directory.appendingPathComponent("absent.safetensors")
        #expect(throws: CheckpointError.self) { try Pair(1).loadInPlace(contentsOf: absent) }
    }

    /// Every dtype of the Python-written fixture reads as `SafeTensors.read` reads it.
    @Test func safeTensorsFileReadsEachTensorAsTheWholeFileReader() throws {
        let url = try #require(
            Bundle.module.url(
                forResource: "python_written", withExtension: "safetensors",
                subdirectory: "Fixtures"))
        let (tensors, metadata) = try SafeTensors.read(contentsOf: url)
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.metadata == metadata)
        #expect(file.shapes == tensors.mapValues(\.shape))
        for (name, tensor) in tensors {
            var buffer = [Float](repeating: 7, count: tensor.count)
            try buffer.withUnsafeMutableBufferPointer { try file.read(name, into: $0) }
            #expect(buffer.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
        }
        #expect(throws: SafeTensorsError.self) {
            var buffer = [Float](repeating: 0, count: 1)
            try buffer.withUnsafeMutableBufferPointer { try file.read("absent", into: $0) }
        }
    }
}
