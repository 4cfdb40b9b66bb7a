import Testing

@testable import SeqBench

@Suite struct DecodeSuiteTests {
    /// The ids `bench/peers/decode_inputs.py` builds, so every engine decodes the same sources.
    @Test func sourcesAreThoseOfThePythonPeers() {
        let sources = DecodeSuite.sources()
        #expect(sources.count == 32)
        #expect(sources.allSatisfy { $0.count == 32 && $0.last == 0 })
        #expect(sources[0].prefix(8) == [4348, 7216, 5750, 7464, 1200, 3303, 4953, 4129])
        #expect(sources[31].suffix(4) == [4349, 7470, 1658, 0])
        #expect(sources.allSatisfy { $0.dropLast().allSatisfy { (2...7998).contains($0) } })
    }
}
