import Foundation
import SeqTensor
import SeqTesting
import Testing

/// A fresh empty directory under the system temporary directory, removed by the caller.
func makeTemporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("seq2seq-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The URL of `Fixtures/<name>` in the test bundle.
private func fixtureURL(_ name: String, _ ext: String) throws -> URL {
    try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"))
}

/// A safetensors file from a raw header string (padded here) and raw data bytes.
private func rawFile(header: String, data: [UInt8] = [], headerLength: UInt64? = nil) -> Data {
    var headerBytes = Array(header.utf8)
    headerBytes += repeatElement(UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8)
    var file = Data()
    withUnsafeBytes(of: (headerLength ?? UInt64(headerBytes.count)).littleEndian) {
        file.append(contentsOf: $0)
    }
    return file + headerBytes + data
}

@Suite struct SafeTensorsTests {
    /// The tensors of the committed Swift-written fixture; `check_safetensors.py` holds the same.
    static let swiftFixtureTensors: [String: Tensor] = [
        "linear.weight": Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) * 0.25 - 1.5 }),
        "linear.bias": Tensor([0.5, -0.125, 2]),
        "scalar": Tensor(42),
        "empty": Tensor(shape: [0, 2], scalars: []),
        "odd/é\"name\"": Tensor([1, -1]),
    ]
    static let swiftFixtureMetadata = ["producer": "SafeTensorsTests", "note": "é / \"quoted\"\n"]

    @Test func pythonWrittenFileLoadsExactly() throws {
        let (tensors, metadata) = try SafeTensors.read(
            contentsOf: fixtureURL("python_written", "safetensors"))
        let expected = try Fixture.load("python_written", in: .module)
        #expect(
            metadata == ["format": "pt", "note": "written by make_safetensors.py: é / \"quoted\""])
        #expect(Set(tensors.keys) == Set(expected.tensors.keys).union(["specials.f16"]))
        for (name, want) in expected.tensors {
            let got = try #require(tensors[name])
            #expect(got.shape == want.shape, "\(name)")
            #expect(got.scalars.map(\.bitPattern) == want.scalars.map(\.bitPattern), "\(name)")
        }
        let specials = try #require(tensors["specials.f16"]).scalars
        #expect(specials[0] == .infinity && specials[1] == -.infinity && specials[2].isNaN)
    }

    /// A snapshot test: the bytes written here equal the committed fixture.
    ///
    /// `tools/fixtures/check_safetensors.py` verifies `swift_written.safetensors` against
    /// Python's `safetensors`; the file is also left at
    /// `$TMPDIR/seq2seq-swift-written.safetensors` for that script.
    @Test func swiftWrittenFileMatchesFixture() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("seq2seq-swift-written.safetensors")
        try SafeTensors.write(
            Self.swiftFixtureTensors, metadata: Self.swiftFixtureMetadata, to: url)
        let written = try Data(contentsOf: url)
        #expect(written == (try Data(contentsOf: fixtureURL("swift_written", "safetensors"))))
        let (tensors, metadata) = try SafeTensors.read(contentsOf: url)
        #expect(metadata == Self.swiftFixtureMetadata)
        for (name, tensor) in Self.swiftFixtureTensors {
            #expect(
                tensors[name]?.shape == tensor.shape && tensors[name]?.scalars == tensor.scalars)
        }
    }

    /// Headers as `safetensors.torch.save` 0.8.0 writes them, byte for byte.
    @Test func headerLayoutMatchesPython() {
        let one = SafeTensors.encoded(["b": .zeros([3])])
        let header = #"{"b":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}} "#
        #expect(one == rawFile(header: header, data: Array(repeating: 0, count: 12)))
        let two = SafeTensors.encoded(["s": Tensor(1), "e": Tensor(shape: [0], scalars: [])])
        let expected =
            #"{"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}      "#
        #expect(two.prefix(8 + expected.utf8.count).dropFirst(8) == Data(expected.utf8))
        #expect(two.count % 8 == 4 && (two.count - 4) % 8 == 0)
    }

    @Test func roundTripKeepsEveryBit() throws {
        var rng = SeededGenerator(seed: 3)
        let tensors: [String: Tensor] = [
            "encoder.layers.0.weight": .normal([7, 5], using: &rng),
            "encoder.layers.1.weight": .normal([17], using: &rng),
            "bias": Tensor([-0.0, .infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]),
        ]
        let directory = try makeTemporaryDirectory("roundtrip")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        try SafeTensors.write(tensors, to: url)
        try SafeTensors.write(tensors, metadata: ["step": "2"], to: url)  // replaces the first
        let (read, metadata) = try SafeTensors.read(contentsOf: url)
        #expect(metadata == ["step": "2"])
        for (name, tensor) in tensors {
            #expect(read[name]?.shape == tensor.shape)
            #expect(read[name]?.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern))
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(left == ["model.safetensors"])
    }

    @Test func writingIntoAMissingDirectoryFailsNamingTheFile() throws {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/model.safetensors")
        #expect {
            try SafeTensors.write(["a": Tensor([1])], to: url)
        } throws: { error in
            let error = error as? SafeTensorsError
            return error?.kind == .io && error?.description.hasPrefix(url.path + ": ") == true
        }
    }

    /// Decodes `data` as `bad.safetensors` and returns the error, if any.
    private func failure(_ data: Data) -> SafeTensorsError? {
        do {
            _ = try SafeTensors.decode(data, file: "bad.safetensors")
            return nil
        } catch {
            return error as? SafeTensorsError
        }
    }

    @Test func corruptFilesAreRejectedNamingFileAndProblem() {
        let valid = SafeTensors.encoded(["w": Tensor([1, 2, 3, 4])])
        let cases: [(Data, SafeTensorsError.Kind, [String])] = [
            (Data([1, 0, 0]), .truncated, ["truncated", "3 bytes"]),
            (valid.dropLast(4), .invalidOffsets, ["`w`", "[0, 16]", "12-byte", "truncated"]),
            (
                rawFile(header: "{}", headerLength: 1_000_000), .invalidHeaderLength,
                ["1000000", "beyond the file size"]
            ),
            (rawFile(header: "{\"w\": {\"dtype\": "), .invalidJSON, ["invalid JSON"]),
            (rawFile(header: "[1, 2]"), .invalidJSON, ["not a JSON object"]),
            (
                rawFile(
                    header: #"{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#,
                    data: Array(repeating: 0, count: 8)),
                .unsupportedDType, ["`ids`", "\"I64\""]
            ),
            (
                rawFile(
                    header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,400]}}"#,
                    data: Array(repeating: 0, count: 8)),
                .invalidOffsets, ["`w`", "[0, 400]", "8-byte data section"]
            ),
            (
                rawFile(
                    header: #"{"w":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}}"#,
                    data: Array(repeating: 0, count: 8)),
                .invalidOffsets, ["`w`", "8 bytes", "F16 [3] needs 6"]
            ),
            (
                rawFile(
                    header:
                        #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
                    data: Array(repeating: 0, count: 12)),
                .invalidOffsets, ["`b`", "gap"]
            ),
            (
                rawFile(
                    header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                    data: Array(repeating: 0, count: 8)),
                .invalidOffsets, ["cover 4 bytes of the 8-byte"]
            ),
            (
                rawFile(header: #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
                .invalidHeader, ["`w`", "`dtype`"]
            ),
            (rawFile(header: #"{"__metadata__":{"n":1}}"#), .invalidHeader, ["`__metadata__`"]),
        ]
        for (data, kind, phrases) in cases {
            let error = failure(data)
            #expect(error?.kind == kind, "\(String(describing: error))")
            let text = error?.description ?? ""
            #expect(text.hasPrefix("bad.safetensors: "), "\(text)")
            for phrase in phrases { #expect(text.contains(phrase), "\(text) lacks \(phrase)") }
        }
    }

    @Test func missingFileIsNamed() {
        let url = URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString).safetensors")
        #expect {
            _ = try SafeTensors.read(contentsOf: url)
        } throws: { error in
            (error as? SafeTensorsError)?.description == "\(url.path): no such file"
        }
    }

    #if !(os(macOS) && arch(x86_64))
        /// Every half-precision bit pattern converts as the standard library's `Float16` does.
        @Test func halfConversionIsExactForEveryValue() {
            let mismatches = (UInt16.min...UInt16.max).filter { bits in
                let ours = floatFromHalfBits(bits)
                let standard = Float(Float16(bitPattern: bits))
                return ours.bitPattern != standard.bitPattern && !(ours.isNaN && standard.isNaN)
            }
            #expect(mismatches.isEmpty, "half bit patterns \(mismatches.prefix(5))")
            #expect(floatFromBFloat16Bits(0x3FC0) == 1.5)
            #expect(floatFromBFloat16Bits(0xC049) == -3.140625)
        }
    #endif
}
