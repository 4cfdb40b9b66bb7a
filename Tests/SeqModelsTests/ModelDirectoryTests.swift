import Foundation
import SeqModels
import SeqNN
import SeqTensor
import Testing

/// Saving and loading model directories: round trips, extra files, errors naming the file.
@Suite struct ModelDirectoryTests {
    private let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("ModelDirectoryTests-\(UUID().uuidString)")

    private func seq2seq(_ config: TransformerConfig = tinyConfig()) -> TransformerSeq2Seq {
        var generator = SeededGenerator(seed: 4)
        return TransformerSeq2Seq(config: config, using: &generator)
    }

    /// The `CheckpointError` `body` throws, or `nil`.
    private func error(_ body: () throws -> Void) -> CheckpointError? {
        do {
            try body()
            return nil
        } catch {
            return error as? CheckpointError
        }
    }

    @Test func seq2seqRoundTripGivesIdenticalLogits() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = tinyConfig(positions: .learned)
        config.sharedEmbeddings = false
        config.tiedOutputProjection = false
        let model = seq2seq(config)
        let tokenizer = Data("tokenizer bytes".utf8)
        try ModelDirectory.save(
            model: model, to: directory, extraFiles: ["tokenizer.model": tokenizer])
        let loaded = try ModelDirectory.load(from: directory)
        #expect(loaded.architecture == .seq2seq)
        #expect(loaded.config == config)
        #expect(try Data(contentsOf: loaded.fileURL(named: "tokenizer.model")) == tokenizer)
        let restored = try loaded.model(as: TransformerSeq2Seq.self)
        let sources = TokenBatch(rows: [[3, 4, 2], [5, 2]], padID: 0)
        let targets = TokenBatch(rows: [[1, 6, 7], [1, 8]], padID: 0)
        let (before, after) = withoutGradients {
            (
                model.logits(sources: sources, targetInputs: targets).scalars,
                restored.logits(sources: sources, targetInputs: targets).scalars
            )
        }
        #expect(before == after)
        let metadata = try SafeTensors.read(
            contentsOf: directory.appendingPathComponent(ModelDirectory.weightsFile)
        ).metadata
        #expect(metadata == ["format": "seq2seq", "architecture": "transformer-seq2seq"])
    }

    @Test func languageModelRoundTripAndConfigFile() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SeededGenerator(seed: 4)
        let model = TransformerLM(config: tinyConfig(positions: .sinusoidal), using: &generator)
        try ModelDirectory.save(model: model, to: directory)
        let loaded = try ModelDirectory.load(from: directory)
        let restored = try loaded.model(as: TransformerLM.self)
        let batch = TokenBatch(rows: [[3, 4, 1, 5], [6, 1]], padID: 0)
        #expect(
            withoutGradients { model.logits(sequences: batch).scalars }
                == withoutGradients { restored.logits(sequences: batch).scalars })
        let wrongType = error { _ = try loaded.model(as: TransformerSeq2Seq.self) }
        #expect(wrongType?.file.hasSuffix("model.safetensors") == true)
        #expect(wrongType?.detail.contains("transformer-lm") == true)
        let json = try String(
            contentsOf: directory.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(json.contains("\"activation\" : \"relu\""))
        #expect(
            json.firstRange(of: "\"activation\"")?.lowerBound ?? json.endIndex
                < json.firstRange(of: "\"bias\"")?.lowerBound ?? json.startIndex)
    }

    @Test func savingAgainReplacesTheDirectory() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try ModelDirectory.save(model: seq2seq(), to: directory, extraFiles: ["old.txt": Data()])
        try ModelDirectory.save(model: seq2seq(), to: directory, extraFiles: ["new.txt": Data()])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["config.json", "model.safetensors", "new.txt"])
        let siblings = try FileManager.default.contentsOfDirectory(
            atPath: directory.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.hasPrefix(".\(directory.lastPathComponent)") })
    }

    @Test func loadErrorsNameTheFile() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = error { _ = try ModelDirectory.load(from: directory) }
        #expect(missing?.file == directory.path)

        try ModelDirectory.save(model: seq2seq(), to: directory)
        let configURL = directory.appendingPathComponent("config.json")
        let weightsURL = directory.appendingPathComponent("model.safetensors")
        let goodConfig = try Data(contentsOf: configURL)

        try FileManager.default.removeItem(at: configURL)
        let noConfig = error { _ = try ModelDirectory.load(from: directory) }
        #expect(noConfig?.file == configURL.path && noConfig?.detail == "no such file")

        try Data(#"{"modelSize": 256, "headCount": 3}"#.utf8).write(to: configURL)
        let badConfig = error { _ = try ModelDirectory.load(from: directory) }
        #expect(badConfig?.file == configURL.path)
        #expect(badConfig?.detail == "config: `headCount` = 3 does not divide `modelSize` = 256")

        try Data("{".utf8).write(to: configURL)
        #expect(error { _ = try ModelDirectory.load(from: directory) }?.file == configURL.path)

        try goodConfig.write(to: configURL)
        var tensors = try SafeTensors.read(contentsOf: weightsURL).tensors
        tensors["decoder.finalNorm.bias"] = nil
        try SafeTensors.write(
            tensors, metadata: ["format": "seq2seq", "architecture": "transformer-seq2seq"],
            to: weightsURL)
        let missingTensor = error { _ = try ModelDirectory.load(from: directory) }
        #expect(missingTensor?.kind == .missingTensor && missingTensor?.file == weightsURL.path)
        #expect(missingTensor?.detail.contains("decoder.finalNorm.bias") == true)

        tensors["decoder.finalNorm.bias"] = .zeros([16])
        tensors["extra.weight"] = .zeros([2])
        try SafeTensors.write(
            tensors, metadata: ["format": "seq2seq", "architecture": "transformer-seq2seq"],
            to: weightsURL)
        let extraTensor = error { _ = try ModelDirectory.load(from: directory) }
        #expect(extraTensor?.kind == .unexpectedTensor && extraTensor?.file == weightsURL.path)

        tensors["extra.weight"] = nil
        try SafeTensors.write(tensors, metadata: ["format": "seq2seq"], to: weightsURL)
        let noArchitecture = error { _ = try ModelDirectory.load(from: directory) }
        #expect(noArchitecture?.file == weightsURL.path)
        #expect(noArchitecture?.detail.contains("`architecture` is missing") == true)

        try Data("not safetensors".utf8).write(to: weightsURL)
        #expect(error { _ = try ModelDirectory.load(from: directory) }?.file == weightsURL.path)
    }
}
