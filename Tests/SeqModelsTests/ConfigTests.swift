import Foundation
import SeqModels
import Testing

/// Decoding `TransformerConfig` from JSON: defaults, unknown keys, contradictions.
@Suite struct ConfigTests {
    private func decode(_ json: String) throws -> TransformerConfig {
        try JSONDecoder().decode(TransformerConfig.self, from: Data(json.utf8))
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
        let config = try decode(#"{"modelSize": 256, "headCount": 4, "positions": "learned"}"#)
        var expected = TransformerConfig()
        expected.modelSize = 256
        expected.headCount = 4
        expected.positions = .learned
        #expect(config == expected)
        #expect(try decode("{}") == TransformerConfig())
        #expect(config.feedForwardSize == 2048 && config.padID == 0 && config.startID == 1)
        #expect(config.endID == 2 && config.normalizationPosition == .pre)
        #expect(config.effectiveEmbeddingScale == 16)
    }

    @Test func nullMeansDefault() throws {
        #expect(try decode(#"{"keyValueHeadCount": null, "dropout": null}"#) == TransformerConfig())
    }

    @Test func encodingRoundTrips() throws {
        var config = TransformerConfig()
        config.keyValueHeadCount = 2
        config.sourceVocabularySize = 500
        config.sharedEmbeddings = false
        config.activation = .swiGLU
        config.normalization = .rmsNorm
        config.embeddingScale = 1
        config.separatorID = 3
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(config)
        #expect(try JSONDecoder().decode(TransformerConfig.self, from: data) == config)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""activation":"swiGLU""#))
        #expect(text.contains(#""positions":"rotary""#))
    }

    @Test func unknownKeyIsNamed() {
        let typo = error(decoding: #"{"modelSize": 64, "headCont": 4}"#)
        #expect(typo?.key == "headCont")
        #expect(
            typo?.description == "config: `headCont` is not a known key (did you mean `headCount`?)"
        )
        let unrelated = error(decoding: #"{"learningRate": 0.1}"#)
        #expect(unrelated?.description == "config: `learningRate` is not a known key")
    }

    @Test func nestedKeysCarryTheirPath() {
        #expect(wrapped(#"{"model": {"headCont": 4}}"#)?.key == "model.headCont")
        #expect(wrapped(#"{"model": {"headCount": 3}}"#)?.key == "model.headCount")
        #expect(wrapped(#"{"model": {"headCount": "x"}}"#)?.key == "model.headCount")
    }

    @Test func contradictionMessageNamesBothKeys() {
        let error = error(decoding: #"{"modelSize": 256, "headCount": 3}"#)
        #expect(error?.description == "config: `headCount` = 3 does not divide `modelSize` = 256")
    }

    @Test(arguments: [
        (#"{"headCount": 3}"#, "headCount"),
        (#"{"headCount": 0}"#, "headCount"),
        (#"{"headCount": "eight"}"#, "headCount"),
        (#"{"keyValueHeadCount": 3}"#, "keyValueHeadCount"),
        (#"{"sourceVocabularySize": 100}"#, "sourceVocabularySize"),
        (#"{"positions": "learned", "maxPositions": 0}"#, "maxPositions"),
        (#"{"positions": "rotory"}"#, "positions"),
        (#"{"modelSize": 36, "headCount": 4}"#, "positions"),
        (#"{"modelSize": 9, "headCount": 1, "positions": "sinusoidal"}"#, "positions"),
        (#"{"rotaryBase": 1}"#, "rotaryBase"),
        (#"{"activation": "tanh"}"#, "activation"),
        (#"{"normalization": "batchNorm"}"#, "normalization"),
        (#"{"normalizationEpsilon": 0}"#, "normalizationEpsilon"),
        (#"{"encoderLayerCount": -1}"#, "encoderLayerCount"),
        (#"{"decoderLayerCount": 0}"#, "decoderLayerCount"),
        (#"{"feedForwardSize": 0}"#, "feedForwardSize"),
        (#"{"vocabularySize": 0}"#, "vocabularySize"),
        (#"{"dropout": 1.5}"#, "dropout"),
        (#"{"attentionDropout": -0.1}"#, "attentionDropout"),
        (#"{"activationDropout": 1}"#, "activationDropout"),
        (#"{"embeddingScale": 0}"#, "embeddingScale"),
        (#"{"padID": 9000}"#, "padID"),
        (#"{"startID": -1}"#, "startID"),
        (#"{"endID": 0}"#, "endID"),
        (#"{"separatorID": 8000}"#, "separatorID"),
        (
            #"{"sharedEmbeddings": false, "sourceVocabularySize": 5, "padID": 7, "startID": 1}"#,
            "padID"
        ),
    ])
    func contradictionIsNamed(json: String, key: String) {
        let error = error(decoding: json)
        #expect(error?.key == key, "\(json) → \(String(describing: error))")
        #expect(error?.description.hasPrefix("config: `\(key)`") == true)
    }

    @Test func separateVocabulariesWithTyingAreFine() throws {
        // Tying involves only the target table, so the source vocabulary may differ.
        let config = try decode(
            #"{"sharedEmbeddings": false, "sourceVocabularySize": 500, "tiedOutputProjection": true}"#
        )
        #expect(config.effectiveSourceVocabularySize == 500)
    }

    @Test func enumErrorListsTheChoices() {
        let error = error(decoding: #"{"positions": "rotory"}"#)
        #expect(
            error?.description
                == #"config: `positions` = "rotory" is not one of `rotary`, `sinusoidal`, `learned`, `relative`"#
        )
    }
}

/// A config nested in a larger file, as SeqTrain reads it.
private struct Wrapper: Decodable {
    let model: TransformerConfig
}

/// The `ConfigError` decoding `json` as a `Wrapper` throws, or `nil`.
private func wrapped(_ json: String) -> ConfigError? {
    do {
        _ = try JSONDecoder().decode(Wrapper.self, from: Data(json.utf8))
        return nil
    } catch {
        return error as? ConfigError
    }
}
