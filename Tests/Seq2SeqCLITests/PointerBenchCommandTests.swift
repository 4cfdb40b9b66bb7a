import SeqTesting
import Testing

/// `seq2seq bench pointer` lists its cases (running them is for release builds: in a debug
/// build the fused-score case alone takes about 20 s).
@Suite struct PointerBenchCommandTests {
    @Test func listsEveryCase() throws {
        let run = try runCLI(["bench", "pointer", "--list"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        #expect(
            run.standardOutput.split(separator: "\n") == [
                "pointer/additive-scores-b128-t11-s11-a256",
                "pointer/train-step-ptrnet-tsp10-h256", "pointer/train-step-rpw-p5-sort10-h256",
            ])
    }
}
