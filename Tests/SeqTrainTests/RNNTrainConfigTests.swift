import Foundation
import Testing

@testable import SeqTrain

/// `architecture: rnn` in the training YAML, and the model description it leads to.
@Suite struct RNNTrainConfigTests {
    private let base = URL(fileURLWithPath: "/configs")

    private let minimal = """
        data:
          train: {source: train.de, target: train.en}
          valid: {source: valid.de, target: valid.en}
        training:
          maxSteps: 10
        architecture: rnn

        """

    private func parse(_ yaml: String) throws -> TrainConfig {
        try TrainConfig.parse(yaml: yaml, file: "test.yaml", baseDirectory: base)
    }

    private func message(_ yaml: String) -> String {
        do {
            _ = try parse(yaml)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func modelSectionIsTheRNNConfig() throws {
        let config = try parse(
            minimal
                + "model: {cell: gru, hiddenSize: 64, bidirectional: true, attention: additive, "
                + "reverseSource: true}\n")
        #expect(config.architecture == .rnn)
        let model = try #require(config.model.rnn)
        #expect(model.cell.rawValue == "gru" && model.hiddenSize == 64 && model.bidirectional)
        #expect(model.attention.rawValue == "additive" && model.reverseSource)
        #expect(config.model.transformer == nil)
        #expect(try parse(minimal).model == ModelConfig(defaultFor: .rnn))
    }

    @Test func badKeysAreNamedWithTheirPath() {
        #expect(message(minimal + "model: {headCount: 4}\n").contains("`model.headCount`"))
        #expect(
            message(minimal + "model: {hiddenSise: 4}\n")
                .contains("`model.hiddenSise` is not a known key (did you mean `hiddenSize`?)"))
        #expect(
            message(minimal + "model: {attention: none, bridge: none}\n")
                .contains("`model.bridge`"))
        #expect(message(minimal + "model: {cell: rnn}\n").contains("`model.cell`"))
        #expect(
            message(
                minimal.replacingOccurrences(of: "architecture: rnn", with: "architecture: lstm")
            )
            .contains("`architecture`"))
        // A Transformer key is unknown to the RNN, and the other way round.
        #expect(
            message(
                minimal.replacingOccurrences(of: "architecture: rnn", with: "")
                    + "model: {hiddenSize: 64}\n"
            ).contains("`model.hiddenSize`"))
    }

    @Test func descriptionRoundTripsThroughJSON() throws {
        var model = try #require(
            try parse(minimal + "model: {hiddenSize: 32, embeddingSize: 16, attention: dot}\n")
                .model.rnn)
        model.vocabularySize = 50
        var description = try ModelDescription(
            model: try #require(ModelConfig(defaultFor: .transformer).transformer),
            tokenizerFile: "tokenizer.model", tokenizerFormat: .sentencepiece)
        description.architecture = .rnn
        description.model = .rnn(model)
        description.tokenizerFormat = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(description)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""architecture":"rnn""#))
        #expect(text.contains(#""attention":"dot""#))
        #expect(!text.contains("tokenizerFormat"))
        let decoded = try JSONDecoder().decode(ModelDescription.self, from: data)
        #expect(decoded.architecture == .rnn && decoded.model == .rnn(model))
        // `model` is read as the config of `architecture`.
        let mismatched = text.replacingOccurrences(
            of: #""architecture":"rnn""#, with: #""architecture":"transformer""#)
        do {
            _ = try JSONDecoder().decode(ModelDescription.self, from: Data(mismatched.utf8))
            Issue.record("an RNN config was read as a Transformer's")
        } catch {
            #expect("\(error)".contains("is not a known key"), "\(error)")
        }
    }
}
