import Foundation
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// A small module with a nested child, for checkpoint tests.
private final class Tiny: Module {
    final class Layer: Module {
        let weight: Parameter
        let bias: Parameter
        init(_ scale: Float) {
            weight = Parameter(Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) * scale }))
            bias = Parameter(Tensor([scale, -scale, 0.5]))
        }
    }
    let first: Layer
    let head: Parameter

    init(_ scale: Float = 0.1) {
        first = Layer(scale)
        head = Parameter(Tensor([1, scale]))
    }
}

/// A model config, as a model family would declare one.
private struct TinyConfig: Codable, Equatable {
    var inputSize = 4
    var name = "tiny"
}

/// A config whose encoding always fails, to interrupt a checkpoint write after the tensors.
private struct UnencodableConfig: Encodable {
    struct Refusal: Error {}
    func encode(to encoder: any Encoder) throws { throw Refusal() }
}

/// One training step on `model` with fixed, step-dependent gradients.
private func train(_ model: Tiny, _ optimizer: some Optimizer, step: Int) {
    for (index, (_, parameter)) in model.namedParameters().enumerated() {
        let count = parameter.shape.reduce(1, *)
        parameter.gradient = Tensor(
            shape: parameter.shape,
            scalars: (0..<count).map { sin(Float($0 + index * 7 + step * 3)) })
    }
    optimizer.step()
    optimizer.zeroGradients()
}

private func values(_ model: Tiny) -> [Float] { model.parameters().flatMap(\.value.scalars) }

@Suite struct CheckpointTests {
    @Test func roundTripRestoresTrainingExactly() throws {
        let parent = try makeTemporaryDirectory("checkpoint")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("step-2")

        let model = Tiny()
        let optimizer = AdamW(model, learningRate: 0.01)
        for step in 1...2 { train(model, optimizer, step: step) }
        var generator = SeededGenerator(seed: 0xFFFF_FFFF_FFFF_FF00)
        _ = generator.next()
        try Checkpoint.save(
            model: model, optimizer: optimizer, step: 2, generator: generator,
            config: TinyConfig(), to: directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(
            files == ["config.json", "model.safetensors", "optimizer.safetensors", "trainer.json"])
        let weightsFile = directory.appendingPathComponent(Checkpoint.weightsFile)
        #expect(
            Set(try SafeTensors.read(contentsOf: weightsFile).tensors.keys)
                == ["first.weight", "first.bias", "head"])
        for step in 3...4 { train(model, optimizer, step: step) }

        let checkpoint = try Checkpoint.read(from: directory)
        #expect(checkpoint.step == 2)
        #expect(checkpoint.generator == generator)
        #expect(try checkpoint.decodedConfig(as: TinyConfig.self) == TinyConfig())
        #expect(checkpoint.optimizerState["first.weight.step"]?.scalar == 2)
        let resumed = Tiny(0.7)
        let resumedOptimizer = AdamW(resumed, learningRate: 0.01)
        try checkpoint.restore(resumed, optimizer: resumedOptimizer)
        for step in 3...4 { train(resumed, resumedOptimizer, step: step) }
        #expect(values(resumed) == values(model))
    }

    @Test func inMemoryCheckpointWritesAndReadsBack() throws {
        let parent = try makeTemporaryDirectory("checkpoint")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("plain")
        let model = Tiny()
        let checkpoint = Checkpoint(
            weights: model.stateDictionary(), step: 7, generator: SeededGenerator(seed: 1))
        try checkpoint.write(to: directory)
        let read = try Checkpoint.read(from: directory)
        #expect(read.step == 7 && read.config == nil && read.optimizerState.isEmpty)
        #expect(read.directory == directory)
        #expect(read.weights["head"]?.scalars == model.head.value.scalars)
        #expect(read.extraFiles.isEmpty)
    }

    @Test func extraFilesTravelWithTheCheckpoint() throws {
        let parent = try makeTemporaryDirectory("checkpoint")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("with-extras")
        let model = Tiny()
        let extras = ["tokenizer.model": Data([0, 1, 2, 255]), "state.json": Data("{}".utf8)]
        try Checkpoint(
            weights: model.stateDictionary(), step: 3, generator: SeededGenerator(seed: 2),
            extraFiles: extras
        ).write(to: directory)
        #expect(try Checkpoint.read(from: directory).extraFiles == extras)
        // Rewriting without one of them removes it: the directory is replaced as a whole.
        try Checkpoint(
            weights: model.stateDictionary(), step: 4, generator: SeededGenerator(seed: 2),
            extraFiles: ["state.json": Data("[]".utf8)]
        ).write(to: directory)
        #expect(try Checkpoint.read(from: directory).extraFiles == ["state.json": Data("[]".utf8)])
    }

    @Test func failedWriteLeavesThePreviousCheckpointIntact() throws {
        let parent = try makeTemporaryDirectory("checkpoint")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("latest")
        let model = Tiny()
        let optimizer = SGD(model, learningRate: 0.1, momentum: 0.9)
        train(model, optimizer, step: 1)
        try Checkpoint.save(
            model: model, optimizer: optimizer, step: 1, generator: SeededGenerator(seed: 5),
            config: TinyConfig(), to: directory)
        let saved = values(model)
        train(model, optimizer, step: 2)

        // The weights and optimizer state are written before the config fails to encode.
        #expect {
            try Checkpoint.save(
                model: model, optimizer: optimizer, step: 2, generator: SeededGenerator(seed: 6),
                config: UnencodableConfig(), to: directory)
        } throws: { error in
            let error = error as? CheckpointError
            return error?.kind == .writeFailed
                && error?.file == directory.appendingPathComponent("config.json").path
        }
        let survivor = try Checkpoint.read(from: directory)
        #expect(survivor.step == 1 && survivor.generator == SeededGenerator(seed: 5))
        let restored = Tiny(0.3)
        try survivor.restore(restored)
        #expect(values(restored) == saved)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["latest"])
    }

    @Test func aCrashBetweenTheRenamesLosesNothing() throws {
        let parent = try makeTemporaryDirectory("checkpoint")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("latest")
        let previous = parent.appendingPathComponent("latest.previous")
        let model = Tiny()
        try Checkpoint(
            weights: model.stateDictionary(), step: 3, generator: SeededGenerator(seed: 1)
        )
        .write(to: directory)
        // What a crash after moving the old checkpoint aside, before the new one lands, leaves.
        try FileManager.default.moveItem(at: directory, to: previous)
        let recovered = try Checkpoint.read(from: directory)
        #expect(recovered.step == 3 && recovered.directory?.path == previous.path)

        try Checkpoint(
            weights: model.stateDictionary(), step: 4, generator: SeededGenerator(seed: 1)
        )
        .write(to: directory)
        #expect(try Checkpoint.read(from: directory).step == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["latest"])

        try Checkpoint(
            weights: model.stateDictionary(), step: 5, generator: SeededGenerator(seed: 1)
        )
        .write(to: directory)
        #expect(try Checkpoint.read(from: directory).step == 5)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["latest"])
    }

    @Test func loadErrorsUseTheExactMessages() {
        let model = Tiny()
        let good = model.stateDictionary()
        func message(_ stored: [String: Tensor]) -> String? {
            do {
                try Tiny().load(stored, from: "bad.safetensors")
                return nil
            } catch {
                return (error as? CheckpointError)?.description
            }
        }
        var missing = good
        missing["first.bias"] = nil
        #expect(message(missing) == "bad.safetensors: no tensor for `first.bias`")
        var unexpected = good
        unexpected["extra"] = Tensor([1])
        #expect(message(unexpected) == "bad.safetensors: unexpected tensor `extra`")
        var misshapen = good
        misshapen["first.weight"] = .zeros([3, 5])
        #expect(
            message(misshapen) == "bad.safetensors: `first.weight` is [3, 5], model expects [3, 4]")
    }

    @Test func failedLoadChangesNothing() {
        let model = Tiny()
        let before = values(model)
        var stored = Tiny(0.9).stateDictionary()
        stored["head"] = .zeros([3])
        #expect(throws: CheckpointError.self) { try model.load(stored, from: "x") }
        #expect(values(model) == before)
    }

    @Test func restoreRollsBackWeightsWhenOptimizerStateIsBad() throws {
        let source = Tiny(0.5)
        let sourceOptimizer = Adam(source, learningRate: 0.01)
        train(source, sourceOptimizer, step: 1)
        var state = sourceOptimizer.state
        state["head.exp_avg"] = .zeros([5])
        let checkpoint = Checkpoint(
            weights: source.stateDictionary(), optimizerState: state, step: 1,
            generator: SeededGenerator(seed: 0))
        let target = Tiny()
        let before = values(target)
        let optimizer = Adam(target, learningRate: 0.01)
        #expect {
            try checkpoint.restore(target, optimizer: optimizer)
        } throws: { error in
            (error as? CheckpointError)?.description
                == "optimizer.safetensors: `head.exp_avg` is [5], model expects [2]"
        }
        #expect(values(target) == before)
        #expect(optimizer.state.isEmpty)
    }

    @Test func unreadableCheckpointsNameTheFile() throws {
        let parent = try makeTemporaryDirectory("checkpoint")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("broken")
        #expect {
            _ = try Checkpoint.read(from: directory)
        } throws: { error in
            (error as? CheckpointError)?.description == "\(directory.path): no checkpoint directory"
        }

        try Checkpoint(
            weights: Tiny().stateDictionary(), step: 1, generator: SeededGenerator(seed: 1)
        )
        .write(to: directory)
        let trainer = directory.appendingPathComponent(Checkpoint.trainerFile)
        try Data("{\"step\": 1}".utf8).write(to: trainer)
        #expect {
            _ = try Checkpoint.read(from: directory)
        } throws: { error in
            let error = error as? CheckpointError
            return error?.kind == .unreadable && error?.file == trainer.path
        }

        let weights = directory.appendingPathComponent(Checkpoint.weightsFile)
        try Data([1, 2, 3]).write(to: weights)
        #expect {
            _ = try Checkpoint.read(from: directory)
        } throws: { error in
            (error as? CheckpointError)?.description.hasPrefix("\(weights.path): truncated file")
                == true
        }

        let restoredInto = Tiny()
        let mismatched = Checkpoint(
            weights: ["first.weight": .zeros([1])], step: 0, generator: SeededGenerator(seed: 0))
        #expect(throws: CheckpointError.self) { try mismatched.restore(restoredInto) }
    }
}
