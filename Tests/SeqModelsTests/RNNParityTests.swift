import Foundation
import SeqModels
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// Parity with `torch.nn.LSTM` encoder–decoders in float64 (tools/fixtures/make_rnn_seq2seq.py):
/// logits at every position, the loss, and the gradient of every parameter.
@Suite struct RNNParityTests {
    /// The config stored with the fixture, and the fixture's weights loaded into a model.
    private func model(from fixture: Fixture) throws -> RNNSeq2Seq {
        let config = try JSONDecoder().decode(
            RNNConfig.self, from: Data((fixture.meta["config"] ?? "").utf8))
        var generator = SeededGenerator(seed: 0)
        let model = RNNSeq2Seq(config: config, using: &generator)
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
        TokenBatch(
            ids: fixture.ids(ids), lengths: fixture.ids(lengths).map { Int($0) },
            length: fixture[ids].shape[1])
    }

    @Test(arguments: ["rnn_seq2seq_lstm_general", "rnn_seq2seq_lstm_additive"])
    func forwardLossAndGradientsMatchPyTorch(name: String) throws {
        let fixture = try Fixture.load(name, in: .module)
        let model = try model(from: fixture)
        let sources = batch(fixture, ids: "sourceIDs", lengths: "sourceLengths")
        let inputs = batch(fixture, ids: "targetInputIDs", lengths: "targetLengths")
        let outputs = batch(fixture, ids: "targetOutputIDs", lengths: "targetLengths")
        let logits = withoutGradients { model.logits(sources: sources, targetInputs: inputs) }
        expectClose(logits, fixture["logits"], tolerance: fixture.tolerance)
        let loss = model.loss(sources: sources, targetInputs: inputs, targetOutputs: outputs)
        expectClose(loss, fixture["loss"], tolerance: fixture.tolerance)
        loss.backward()
        for (path, parameter) in model.namedParameters() {
            expectClose(
                parameter.gradient ?? .zeros(parameter.shape), fixture["gradient.\(path)"],
                tolerance: fixture.tolerance)
        }
    }
}
