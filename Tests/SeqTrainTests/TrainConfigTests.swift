import Foundation
import Testing

@testable import SeqTrain

@Suite struct TrainConfigTests {
    private let base = URL(fileURLWithPath: "/configs")

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

    private let minimal = """
        data:
          train: {source: train.de, target: train.en}
          valid: {tsv: valid.tsv, columns: [1, 0]}
        training:
          maxSteps: 10
        """

    @Test func partialConfigTakesDefaultsAndResolvesPaths() throws {
        let config = try parse(minimal)
        #expect(config.seed == 1)
        #expect(config.training.maxSteps == 10)
        #expect(config.training.learningRate == 1e-3)
        #expect(config.training.clipNorm == 1.0)
        #expect(config.tokenizer.vocabularySize == 8000)
        #expect(config.architecture == .transformer)
        #expect(
            config.data.train
                == .parallel(
                    source: URL(fileURLWithPath: "train.de", relativeTo: base),
                    target: URL(fileURLWithPath: "train.en", relativeTo: base)))
        #expect(
            config.data.valid
                == .tsv(file: URL(fileURLWithPath: "valid.tsv", relativeTo: base), columns: [1, 0]))
    }

    @Test func modelSectionIsTheTransformerConfig() throws {
        let config = try parse(
            minimal + "\nmodel: {modelSize: 64, headCount: 4, encoderLayerCount: 1}\n"
                + "architecture: transformer-lm\n")
        #expect(config.model.transformer?.modelSize == 64)
        #expect(config.model.transformer?.encoderLayerCount == 1)
        #expect(config.architecture == .transformerLM)
    }

    @Test func unknownKeysAreNamedWithTheirPath() {
        #expect(message(minimal + "\nlearningRate: 3\n").contains("`learningRate`"))
        #expect(
            message(minimal.replacingOccurrences(of: "maxSteps", with: "maxStep"))
                .contains("`training.maxStep`"))
        #expect(message(minimal + "\nmodel: {modelSise: 64}\n").contains("`model.modelSise`"))
        #expect(
            message(minimal.replacingOccurrences(of: "columns", with: "colums"))
                .contains("`data.valid.colums`"))
    }

    @Test func badValuesAreNamed() {
        #expect(
            message(minimal.replacingOccurrences(of: "maxSteps: 10", with: "maxSteps: 0"))
                .contains("`training.maxSteps` must be positive"))
        #expect(
            message(minimal + "\nevaluation: {beam: 0}\n").contains("`evaluation.beam`"))
        #expect(
            message(minimal.replacingOccurrences(of: "maxSteps: 10", with: "warmupSteps: 5"))
                .contains("maxSteps, maxEpochs or maxMinutes"))
        #expect(
            message(minimal + "\ntokenizer: {modelType: word}\n").contains("`tokenizer.modelType`"))
        #expect(message("training: {maxSteps: 1}\n").contains("`data`"))
        #expect(message(minimal + "\ntokenizer: {kind: character}\n").contains("`tokenizer.kind`"))
        #expect(message(minimal + "\nmodel: {modelSize: 10, headCount: 3}\n").contains("headCount"))
    }

    @Test func errorsNameTheFile() {
        #expect(message("data: [").hasPrefix("test.yaml: "))
        #expect(message(minimal + "\nseed: -1\n").hasPrefix("test.yaml: "))
    }
}
