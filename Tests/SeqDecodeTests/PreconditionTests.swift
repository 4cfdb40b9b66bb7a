import SeqDecode
import Testing

/// Invalid search settings trap with a message naming the setting and its value.
@Suite struct PreconditionTests {
    @Test func beamSizeBelowOneTraps() async {
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) {
            _ = BeamSearch(beamSize: 0)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("BeamSearch: beamSize must be ≥ 1, got 0"))
    }

    @Test func groupsMustDivideTheBeam() async {
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) {
            _ = DiverseBeamSearch(beamSize: 4, groups: 3, diversityPenalty: 0.5)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("DiverseBeamSearch: groups (3) must divide beamSize (4)"))
    }

    @Test func nBestAboveTheBeamTraps() async {
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) {
            _ = BeamSearch(beamSize: 2, nBest: 3)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("BeamSearch: nBest must be in 1...beamSize (2), got 3"))
    }

    @Test func topPOutsideTheUnitIntervalTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Sampling(topP: 0, seed: 1)
        }
    }

    @Test func negativeAttentionLayerTraps() async {
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) {
            _ = AttentionOptions(layer: -1)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("AttentionOptions: layer -1 < 0"))
    }
}
