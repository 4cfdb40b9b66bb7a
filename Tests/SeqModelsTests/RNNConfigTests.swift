import Foundation
import SeqModels
import Testing

/// Decoding `RNNConfig` from JSON: defaults, unknown keys, contradictions.
@Suite struct RNNConfigTests {
    private func decode(_ json: String) throws -> RNNConfig {
        try JSONDecoder().decode(RNNConfig.self, from: Data(json.utf8))
    }

    /// The `ConfigError` decoding `json` throws, or `nil`.
    private func error(decoding json: String) -> ConfigError? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error as? ConfigError
        }
    }

    @Test func partialConfigTakesDefaults() throws {
        let config = try decode(#"{"hiddenSize": 256, "attention": "none", "reverseSource": true}"#)
        var expected = RNNConfig()
        expected.hiddenSize = 256
        expected.attention = .none
        expected.reverseSource = true
        #expect(config == expected)
        #expect(try decode("{}") == RNNConfig())
        #expect(config.cell == .lstm && config.bridge == .copy && config.embeddingSize == 256)
        #expect(!config.effectiveInputFeeding && RNNConfig().effectiveInputFeeding)
        #expect(config.encoderOutputSize == 256)
    }

    @Test func bidirectionalEncoderSplitsTheHiddenSize() throws {
        let config = try decode(#"{"hiddenSize": 256, "bidirectional": true}"#)
        #expect(config.effectiveEncoderHiddenSize == 128 && config.encoderOutputSize == 256)
        let wide = try decode(
            #"{"hiddenSize": 256, "bidirectional": true, "encoderHiddenSize": 256, "bridge": "linear"}"#
        )
        #expect(wide.encoderOutputSize == 512)
    }

    @Test func encodingRoundTrips() throws {
        var config = RNNConfig()
        config.cell = .gru
        config.bidirectional = true
        config.attention = .additive
        config.attentionSize = 64
        config.bridge = .linear
        config.uniformInitialization = 0.08
        let data = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(RNNConfig.self, from: data) == config)
        #expect(String(decoding: data, as: UTF8.self).contains(#""cell":"gru""#))
    }

    @Test func unknownKeyIsNamed() {
        let typo = error(decoding: #"{"hiddenSise": 64}"#)
        #expect(
            typo?.description
                == "config: `hiddenSise` is not a known key (did you mean `hiddenSize`?)")
        #expect(error(decoding: #"{"headCount": 4}"#)?.key == "headCount")
    }

    @Test(arguments: [
        (#"{"cell": "rnn"}"#, "cell"),
        (#"{"attention": "concat"}"#, "attention"),
        (#"{"bridge": "mlp"}"#, "bridge"),
        (#"{"hiddenSize": 0}"#, "hiddenSize"),
        (#"{"hiddenSize": 7, "bidirectional": true}"#, "hiddenSize"),
        (#"{"embeddingSize": -1}"#, "embeddingSize"),
        (#"{"encoderHiddenSize": 0}"#, "encoderHiddenSize"),
        (#"{"encoderLayerCount": 0}"#, "encoderLayerCount"),
        (#"{"decoderLayerCount": 0}"#, "decoderLayerCount"),
        (#"{"encoderLayerCount": 3}"#, "bridge"),
        (#"{"encoderHiddenSize": 128}"#, "bridge"),
        (#"{"attention": "none", "bridge": "none"}"#, "bridge"),
        (#"{"attention": "dot", "encoderHiddenSize": 128, "bridge": "linear"}"#, "attention"),
        (#"{"attention": "none", "inputFeeding": true}"#, "inputFeeding"),
        (#"{"attentionSize": 64}"#, "attentionSize"),
        (#"{"attention": "additive", "attentionSize": 0}"#, "attentionSize"),
        (#"{"tiedOutputProjection": true}"#, "tiedOutputProjection"),
        (#"{"sharedEmbeddings": true, "sourceVocabularySize": 100}"#, "sourceVocabularySize"),
        (#"{"dropout": 1}"#, "dropout"),
        (#"{"uniformInitialization": 0}"#, "uniformInitialization"),
        (#"{"vocabularySize": 0}"#, "vocabularySize"),
        (#"{"padID": 9000}"#, "padID"),
        (#"{"endID": 0}"#, "endID"),
        (#"{"reverseSource": "yes"}"#, "reverseSource"),
    ])
    func contradictionIsNamed(json: String, key: String) {
        let error = error(decoding: json)
        #expect(error?.key == key, "\(json) → \(String(describing: error))")
        #expect(error?.description.hasPrefix("config: `\(key)`") == true)
    }
}
