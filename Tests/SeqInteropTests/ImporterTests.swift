import Foundation
import SeqInterop
import SeqModels
import SeqTensor
import SeqText
import SeqTrain
import Testing

/// What the importer refuses and how it says so, sharded weights, and what the native model
/// directory keeps.
@Suite struct ImporterTests {
    /// The error `body` throws, as an `InteropError`.
    private func interopError(_ body: () throws -> Void) -> InteropError? {
        do {
            try body()
            return nil
        } catch {
            return error as? InteropError
        }
    }

    @Test func unsupportedModelTypeIsNamed() throws {
        let files = try TemporaryDirectory()
        let checkpoint = try files.copyOfFixture("marian-tiny-en-de")
        try files.editConfig(of: checkpoint) { $0["model_type"] = "gpt2" }
        let error = interopError { _ = try HuggingFaceCheckpoint(contentsOf: checkpoint) }
        #expect(error?.kind == .unsupported)
        #expect(
            error?.description
                == checkpoint.appendingPathComponent("config.json").path
                + ": `model_type` \"gpt2\" is not supported; supported: marian, t5, bart, mbart")
    }

    @Test func unsupportedSettingsAreNamed() throws {
        let files = try TemporaryDirectory()
        let marian = try files.copyOfFixture("marian-tiny-en-de")
        try files.editConfig(of: marian) { $0["activation_function"] = "tanh" }
        let activation = interopError { _ = try HuggingFaceCheckpoint(contentsOf: marian) }
        #expect(activation?.kind == .unsupported)
        #expect(activation?.detail.hasPrefix("`activation_function` = \"tanh\"") == true)

        let t5 = try files.copyOfFixture("t5-tiny")
        try files.editConfig(of: t5) { $0["d_kv"] = 8 }
        let heads = interopError { _ = try HuggingFaceCheckpoint(contentsOf: t5) }
        #expect(heads?.kind == .unsupported)
        #expect(heads?.detail.hasPrefix("`d_kv` × `num_heads`") == true)
    }

    @Test func missingTensorIsNamed() throws {
        let files = try TemporaryDirectory()
        let checkpoint = try files.copyOfFixture("marian-tiny-en-de")
        let weights = checkpoint.appendingPathComponent("model.safetensors")
        var tensors = try SafeTensors.read(contentsOf: weights).tensors
        tensors["model.decoder.layers.1.fc2.bias"] = nil
        try FileManager.default.removeItem(at: weights)
        try SafeTensors.write(tensors, metadata: ["format": "pt"], to: weights)
        let error = interopError {
            _ = try HuggingFaceCheckpoint(contentsOf: checkpoint).makeModel()
        }
        #expect(error?.kind == .missingTensor)
        #expect(
            error?.description == weights.path
                + ": missing tensor `model.decoder.layers.1.fc2.bias`")
    }

    @Test func unexpectedTensorIsNamed() throws {
        let files = try TemporaryDirectory()
        let checkpoint = try files.copyOfFixture("t5-tiny")
        let weights = checkpoint.appendingPathComponent("model.safetensors")
        var tensors = try SafeTensors.read(contentsOf: weights).tensors
        tensors["encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight"] = .zeros([
            32, 4,
        ])
        try FileManager.default.removeItem(at: weights)
        try SafeTensors.write(tensors, metadata: ["format": "pt"], to: weights)
        let error = interopError {
            _ = try HuggingFaceCheckpoint(contentsOf: checkpoint).makeModel()
        }
        #expect(error?.kind == .unexpectedTensor)
        #expect(
            error?.detail
                == "unexpected tensor `encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight` for this architecture"
        )
    }

    @Test func shardedWeightsLoad() throws {
        let files = try TemporaryDirectory()
        let checkpoint = try files.copyOfFixture("marian-tiny-en-de")
        let weights = checkpoint.appendingPathComponent("model.safetensors")
        let tensors = try SafeTensors.read(contentsOf: weights).tensors
        try FileManager.default.removeItem(at: weights)
        var shards: [String: [String: Tensor]] = [:]
        var weightMap: [String: String] = [:]
        for (index, name) in tensors.keys.sorted().enumerated() {
            let shard = "model-0000\(index % 2 + 1)-of-00002.safetensors"
            shards[shard, default: [:]][name] = tensors[name]
            weightMap[name] = shard
        }
        for (shard, part) in shards {
            try SafeTensors.write(part, to: checkpoint.appendingPathComponent(shard))
        }
        try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": weightMap])
            .write(to: checkpoint.appendingPathComponent("model.safetensors.index.json"))
        let sharded = try HuggingFaceCheckpoint(contentsOf: checkpoint).makeModel()
        let original = try HuggingFaceCheckpoint(
            contentsOf: try CheckpointFixture.directory("marian-tiny-en-de")
        ).makeModel()
        #expect(
            sharded.stateDictionary().mapValues(\.scalars)
                == original.stateDictionary().mapValues(\.scalars))
    }

    @Test func pickleWeightsAreRefused() throws {
        let files = try TemporaryDirectory()
        let checkpoint = try files.copyOfFixture("t5-tiny")
        try FileManager.default.removeItem(
            at: checkpoint.appendingPathComponent("model.safetensors"))
        try Data().write(to: checkpoint.appendingPathComponent("pytorch_model.bin"))
        let error = interopError {
            _ = try HuggingFaceCheckpoint(contentsOf: checkpoint).makeModel()
        }
        #expect(error?.kind == .invalidFile)
        #expect(error?.detail.hasPrefix("only pytorch_model.bin found") == true)
    }

    @Test(arguments: CheckpointFixture.tokenizerNames)
    func nativeDirectoryKeepsModelTokenizerAndDefaults(name: String) throws {
        let files = try TemporaryDirectory()
        let checkpoint = try HuggingFaceCheckpoint(
            contentsOf: try CheckpointFixture.directory(name))
        let output = files.url.appendingPathComponent("native")
        try checkpoint.write(to: output)
        let loaded = try LoadedModel(contentsOf: output)
        #expect(loaded.description.model == .transformer(checkpoint.config))
        #expect(loaded.description.generation == checkpoint.generation)
        let original = try checkpoint.makeModel().stateDictionary()
        let reloaded = try #require(loaded.model as? TransformerSeq2Seq).stateDictionary()
        #expect(Set(original.keys) == Set(reloaded.keys))
        for (path, tensor) in original {
            #expect(reloaded[path]?.scalars == tensor.scalars, "\(path)")
        }
        let fixture = try CheckpointFixture.load(name)
        for (text, ids) in zip(fixture.inputs.texts ?? [], fixture.inputs.tokenIdsUnpadded) {
            #expect(loaded.tokenizer.encode(text) + [fixture.specialTokenIds.eos] == ids)
        }
    }
}
