import SeqMetrics
import Testing

/// Misuse of the metric API traps (run in a child process).
@Suite struct PreconditionTests {
    @Test func aReferenceStreamOfTheWrongLengthTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = BLEU().corpusScore(hypotheses: ["a", "b"], references: [["a"]])
        }
    }

    @Test func aSegmentWithoutReferencesTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = TER().corpusScore(hypotheses: ["a", "b"], references: [["a", nil]])
        }
        await #expect(processExitsWith: .failure) {
            _ = ChrF().sentenceScore(hypothesis: "a", references: [])
        }
    }
}
