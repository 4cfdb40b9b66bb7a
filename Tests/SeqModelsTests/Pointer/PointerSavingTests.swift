import Foundation
import SeqModels
import SeqNN
import SeqTensor
import Testing

/// Saving and loading pointer networks: model directories and training checkpoints.
@Suite struct PointerSavingTests {
    private let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("PointerSavingTests-\(UUID().uuidString)")

    private func model() -> PointerNetwork {
        var generator = SeededGenerator(seed: 51)
        var config = tinyPointerConfig(
            encoder: .readProcessWrite, elementSize: 1, processSteps: 2, glimpseCount: 1,
            constraint: .permutation)
        config.maskedTraining = true
        return PointerNetwork(config: config, using: &generator)
    }

    private func lossValue(_ model: PointerNetwork) -> Float {
        withoutGradients {
            model.loss(
                PointerBatch(inputs: [[0.3, 0.8, 0.1], [0.6, 0.2]], elementSize: 1),
                targets: [[2, 0, 1], [1, 0]]
            ).scalar
        }
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

    @Test func modelDirectoryRoundTripGivesTheSameLoss() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = model()
        try original.save(to: directory, extraFiles: ["notes.txt": Data("sort".utf8)])
        let loaded = try PointerNetwork.load(from: directory)
        #expect(loaded.config == original.config)
        #expect(lossValue(loaded) == lossValue(original))
        let metadata = try SafeTensors.read(
            contentsOf: directory.appendingPathComponent(ModelDirectory.weightsFile)
        ).metadata
        #expect(metadata["architecture"] == "pointer-network")
        #expect(
            try Data(contentsOf: directory.appendingPathComponent("notes.txt"))
                == Data("sort".utf8))
    }

    @Test func loadingNamesTheFileAtFault() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try model().save(to: directory)
        let configURL = directory.appendingPathComponent(ModelDirectory.configFile)
        try Data(#"{"encoder": "readProcessWrite", "procesSteps": 2}"#.utf8).write(to: configURL)
        let bad = error { _ = try PointerNetwork.load(from: directory) }
        #expect(bad?.kind == .unreadable)
        #expect(
            bad?.description
                == "\(configURL.path): config: `procesSteps` is not a known key (did you mean `processSteps`?)"
        )
        // A Transformer directory is refused by architecture.
        var generator = SeededGenerator(seed: 1)
        var transformer = TransformerConfig()
        transformer.vocabularySize = 11
        transformer.modelSize = 8
        transformer.headCount = 2
        transformer.encoderLayerCount = 1
        transformer.decoderLayerCount = 1
        transformer.feedForwardSize = 8
        try ModelDirectory.save(
            model: TransformerSeq2Seq(config: transformer, using: &generator), to: directory)
        try JSONEncoder().encode(tinyPointerConfig()).write(to: configURL)
        let wrong = error { _ = try PointerNetwork.load(from: directory) }
        #expect(
            wrong?.description.hasSuffix(
                "metadata `architecture` is \"transformer-seq2seq\", expected \"pointer-network\"")
                == true)
    }

    @Test func checkpointRestoresTheModelWithAStrictConfig() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = model()
        try Checkpoint.save(
            model: original, optimizer: nil, step: 7, generator: SeededGenerator(seed: 3),
            config: original.config, to: directory)
        let checkpoint = try Checkpoint.read(from: directory)
        var generator = SeededGenerator(seed: 99)
        let restored = PointerNetwork(
            config: try checkpoint.decodedConfig(as: PointerNetworkConfig.self), using: &generator)
        #expect(lossValue(restored) != lossValue(original))
        try checkpoint.restore(restored)
        #expect(lossValue(restored) == lossValue(original))
        #expect(checkpoint.step == 7)
    }
}
