import Foundation
import SeqTesting
import Testing

@Suite struct LSTMBenchCommandTests {
    /// The suite and case names that bench/compare_lstm.sh and the report read.
    @Test func benchLSTMListsItsCase() throws {
        let run = try runCLI(["bench", "lstm", "--list"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        #expect(run.standardOutput.split(separator: "\n") == ["lstm/2x512-b64-t50"])
    }
}
