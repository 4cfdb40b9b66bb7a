import Foundation
import SeqDecode
import SeqModels
import SeqTrain
import Testing

/// The sampling settings of `GenerationDefaults`: decoded by key, validated, and turned into
/// `Sampling`.
@Suite struct GenerationDefaultsTests {
    private func decode(_ json: String) throws -> GenerationDefaults {
        try JSONDecoder().decode(GenerationDefaults.self, from: Data(json.utf8))
    }

    @Test func samplingSettingsDecodeAndBuildASampler() throws {
        let settings = try decode(
            #"{"sample": true, "nBest": 3, "temperature": 0.7, "topK": 5, "topP": 0.9, "minP": 0.1}"#
        )
        let sampler = try #require(settings.strategy(endID: 2, seed: 11) as? Sampling)
        #expect(sampler.samples == 3 && sampler.seed == 11)
        #expect(sampler.temperature == 0.7 && sampler.topK == 5)
        #expect(sampler.topP == 0.9 && sampler.minP == 0.1)
        // Without `sample` the same settings search.
        #expect(try decode(#"{"beamSize": 2}"#).strategy(endID: 2) is BeamSearch)
        #expect(GenerationDefaults().strategy(endID: 2) is GreedySearch)
    }

    @Test(arguments: [
        (#"{"sample": true, "beamSize": 2}"#, "sample"),
        (#"{"beamSize": 2, "nBest": 3}"#, "nBest"),
        (#"{"sample": true, "temperature": 0}"#, "temperature"),
        (#"{"sample": true, "topP": 0}"#, "topP"),
        (#"{"minP": 1.5}"#, "minP"),
        (#"{"topK": -1}"#, "topK"),
    ])
    func contradictionsNameTheKey(json: String, key: String) throws {
        #expect(throws: ConfigError.self) { try decode(json) }
        do {
            _ = try decode(json)
        } catch let error as ConfigError {
            #expect(error.key == key, "\(error)")
        }
    }
}
