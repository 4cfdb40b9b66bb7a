import Foundation
import SeqModels
import Testing

/// `PointerNetworkConfig` and `SetOrderTraining` decoding: defaults, strict keys, validation.
@Suite struct PointerConfigTests {
    private func decode(_ json: String) throws -> PointerNetworkConfig {
        try JSONDecoder().decode(PointerNetworkConfig.self, from: Data(json.utf8))
    }

    private func message(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func emptyObjectGivesTheDefaults() throws {
        #expect(try decode("{}") == PointerNetworkConfig())
        let config = PointerNetworkConfig()
        #expect(config.hiddenSize == 256 && config.elementSize == 2 && config.encoder == .lstm)
        #expect(config.effectiveEmbeddingSize == 256 && config.effectiveAttentionSize == 256)
    }

    @Test func roundTripsThroughJSON() throws {
        var config = PointerNetworkConfig()
        config.elementSize = 1
        config.hiddenSize = 64
        config.encoder = .readProcessWrite
        config.processSteps = 5
        config.glimpseCount = 1
        config.logitClip = 10
        config.constraint = .permutation
        config.maskedTraining = true
        config.initializationRange = 0.08
        let data = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(PointerNetworkConfig.self, from: data) == config)
    }

    @Test func errorsNameTheKey() {
        #expect(
            message(#"{"hiddenSise": 4}"#)
                == "config: `hiddenSise` is not a known key (did you mean `hiddenSize`?)")
        #expect(
            message(#"{"processSteps": 5}"#)
                == "config: `processSteps` = 5 needs `encoder` = readProcessWrite")
        #expect(
            message(#"{"encoder": "readProcessWrite", "hiddenSize": 8, "embeddingSize": 4}"#)
                == "config: `embeddingSize` = 4 must equal `hiddenSize` = 8 with `encoder` = readProcessWrite (the memory is the embedding)"
        )
        #expect(
            message(#"{"constraint": "tour"}"#)
                == "config: `constraint` = \"tour\" is not one of `none`, `noRepeats`, `permutation`"
        )
        #expect(
            message(#"{"maskedTraining": true}"#)
                == "config: `maskedTraining` = true has no effect with `constraint` = none")
        #expect(message(#"{"glimpseCount": -1}"#) == "config: `glimpseCount` = -1 is negative")
        #expect(
            message(#"{"hiddenSize": "big"}"#)?.hasPrefix("config: `hiddenSize` has the wrong type")
                == true)
        #expect(
            message(#"{"initializationRange": 0}"#)
                == "config: `initializationRange` = 0.0 is not positive")
    }

    @Test func setOrderTrainingDecodesStrictly() throws {
        let decoded = try JSONDecoder().decode(
            SetOrderTraining.self, from: Data(#"{"warmupSteps": 10}"#.utf8))
        #expect(decoded == SetOrderTraining(warmupSteps: 10, choice: .sampled))
        #expect(throws: ConfigError.self) {
            try JSONDecoder().decode(SetOrderTraining.self, from: Data(#"{"warmup": 10}"#.utf8))
        }
        #expect(throws: ConfigError.self) {
            try JSONDecoder().decode(
                SetOrderTraining.self, from: Data(#"{"warmupSteps": -1}"#.utf8))
        }
    }

    @Test func constraintsAllowWhatTheySay() {
        #expect(PointerConstraint.unconstrained.allows([0, 0, 2], length: 3))
        #expect(!PointerConstraint.unconstrained.allows([3], length: 3))
        #expect(PointerConstraint.noRepeats.allows([2, 0], length: 3))
        #expect(!PointerConstraint.noRepeats.allows([2, 2], length: 3))
        #expect(PointerConstraint.permutation.allows([1, 2, 0], length: 3))
        #expect(!PointerConstraint.permutation.allows([1, 2], length: 3))
    }
}
