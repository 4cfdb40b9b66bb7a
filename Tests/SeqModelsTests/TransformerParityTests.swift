import Foundation
import SeqModels
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// Parity with a hand-written float64 PyTorch Transformer (tools/fixtures/make_transformer.py):
/// logits at every position, the loss, and the gradient of every parameter.
@Suite struct TransformerParityTests {
    /// The config stored with the fixture, and the fixture's weights loaded into `Model`.
    private func model<Model: TransformerModel>(
        _ type: Model.Type, from fixture: Fixture
    ) throws -> Model {
        let config = try JSONDecoder().decode(
            TransformerConfig.self, from: Data((fixture.meta["config"] ?? "").utf8))
        var generator = SeededGenerator(seed: 0)
        let model = Model(config: config, using: &generator)
        model.setTraining(false)
        var weights: [String: Tensor] = [:]
        for (key, tensor) in fixture.tensors where key.hasPrefix("param.") {
            weights[String(key.dropFirst("param.".count))] = tensor
        }
        try model.load(weights, from: fixture.name)
        return model
    }

    /// A batch from the fixture's padded ids and lengths.
    private func batch(_ fixture: Fixture, ids: String, lengths: String) -> TokenBatch {
        let stored = fixture[ids]
        return TokenBatch(
            ids: fixture.ids(ids), lengths: fixture.ids(lengths).map { Int($0) },
            length: stored.shape[1])
    }

    private func expectGradientsMatch(of model: some Module, _ fixture: Fixture) {
        for (path, parameter) in model.namedParameters() {
            expectClose(
                parameter.gradient ?? .zeros(parameter.shape), fixture["gradient.\(path)"],
                tolerance: fixture.tolerance)
        }
    }

    @Test(arguments: [
        "transformer_seq2seq_prenorm_rotary", "transformer_seq2seq_postnorm_sinusoidal",
    ])
    func seq2seqMatchesPyTorch(name: String) throws {
        let fixture = try Fixture.load(name, in: .module)
        let model = try model(TransformerSeq2Seq.self, from: fixture)
        let sources = batch(fixture, ids: "sourceIDs", lengths: "sourceLengths")
        let inputs = batch(fixture, ids: "targetInputIDs", lengths: "targetLengths")
        let outputs = batch(fixture, ids: "targetOutputIDs", lengths: "targetLengths")
        let logits = withoutGradients { model.logits(sources: sources, targetInputs: inputs) }
        expectClose(logits, fixture["logits"], tolerance: fixture.tolerance)
        let loss = model.loss(sources: sources, targetInputs: inputs, targetOutputs: outputs)
        expectClose(loss, fixture["loss"], tolerance: fixture.tolerance)
        loss.backward()
        expectGradientsMatch(of: model, fixture)
    }

    @Test func languageModelMatchesPyTorch() throws {
        let fixture = try Fixture.load("transformer_lm_prefix_learned", in: .module)
        let model = try model(TransformerLM.self, from: fixture)
        let sequences = batch(fixture, ids: "sequenceIDs", lengths: "sequenceLengths")
        let targets = batch(fixture, ids: "targetIDs", lengths: "sequenceLengths")
        let prefixLengths = fixture.ids("prefixLengths").map { Int($0) }
        let logits = withoutGradients {
            model.logits(sequences: sequences, prefixLengths: prefixLengths)
        }
        expectClose(logits, fixture["logits"], tolerance: fixture.tolerance)
        let loss = model.loss(sequences: sequences, targets: targets, prefixLengths: prefixLengths)
        expectClose(loss, fixture["loss"], tolerance: fixture.tolerance)
        loss.backward()
        expectGradientsMatch(of: model, fixture)
        // The layout the fixture built by hand is the one `trainingBatch` builds.
        let layout = model.trainingBatch(
            sources: [[3, 4, 5], [6]], targets: [[5, 4, 3], [6, 7]])
        #expect(layout.sequences == sequences && layout.prefixLengths == prefixLengths)
        #expect(layout.targets.ids == targets.ids)
    }
}
