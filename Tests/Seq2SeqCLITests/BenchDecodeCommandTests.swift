import Foundation
import SeqTesting
import Testing

@Suite struct BenchDecodeCommandTests {
    @Test func benchDecodeListsEveryCaseByItsExactName() throws {
        let run = try runCLI(["bench", "decode", "--list"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        #expect(
            run.standardOutput.split(separator: "\n") == [
                "decode/greedy-b1", "decode/first-token-b1", "decode/beam4-b1",
                "decode/greedy-b32", "decode/peak-rss",
            ])
    }

    /// Decodes the reference model for real (one repetition) and checks the report's units.
    @Test func benchDecodeReportsMillisecondsAndPeakMemory() throws {
        let run = try runCLI(["bench", "decode", "--quick", "--json", "--filter", "greedy-b1"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        let report = try #require(object as? [String: Any])
        let results = try #require(report["results"] as? [[String: Any]])
        #expect(results.map { $0["case"] as? String } == ["greedy-b1"])
        for result in results {
            #expect(result["suite"] as? String == "decode")
            #expect(result["unit"] as? String == "ms")
            #expect((result["ours"] as? Double ?? 0) > 0)
            #expect(result["reference"] is NSNull)
        }
        let memory = try runCLI(["bench", "decode", "--quick", "--json", "--filter", "peak-rss"])
        let memoryReport = try JSONSerialization.jsonObject(with: Data(memory.standardOutput.utf8))
        let line = try #require(
            ((memoryReport as? [String: Any])?["results"] as? [[String: Any]])?.first)
        #expect(line["unit"] as? String == "MiB")
        #if os(Linux)
            #expect((line["ours"] as? Double ?? 0) > 1)
        #endif
    }

    @Test func missingModelDirectoryIsNamed() throws {
        let run = try runCLI(["bench", "decode", "--model", "/nonexistent/model", "--list"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("/nonexistent/model/config.json"))
        #expect(!run.standardError.contains("Fatal error"))
    }
}
