import Foundation
import SeqTesting
import Testing

@Suite struct BenchCommandTests {
    @Test func benchKernelsListsEveryCaseByItsExactName() throws {
        let run = try runCLI(["bench", "kernels", "--list"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        #expect(
            run.standardOutput.split(separator: "\n") == [
                "gemm/square-256", "gemm/square-512", "gemm/square-1024", "gemm/square-2048",
                "gemm/batched-attention", "elementwise/add", "elementwise/mul", "elementwise/gelu",
                "softmax/4096x1024", "layernorm/4096x1024", "train_step/encoder-2x256",
            ])
    }

    /// Runs the cheap cases for real (the full run is CI's release-build step) and checks the
    /// JSON report's shape and arithmetic.
    @Test func benchKernelsJSONReportsRatiosAgainstTheReference() throws {
        let run = try runCLI(["bench", "kernels", "--quick", "--json", "--filter", "square-256"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        #if DEBUG
            #expect(run.standardError.contains("WARNING: this is a DEBUG build"))
        #else
            #expect(!run.standardError.contains("WARNING"))
        #endif
        let object = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        let report = try #require(object as? [String: Any])
        #expect(report["build"] as? String == "debug" || report["build"] as? String == "release")
        let machine = try #require(report["machine"] as? [String: Any])
        #expect(machine["cores"] as? Int ?? 0 >= 1)
        let results = try #require(report["results"] as? [[String: Any]])
        #expect(results.count == 1)
        let result = try #require(results.first)
        #expect(result["suite"] as? String == "gemm")
        #expect(result["case"] as? String == "square-256")
        #expect(result["unit"] as? String == "GFLOP/s")
        let ours = try #require(result["ours"] as? Double)
        let reference = try #require(result["reference"] as? Double)
        let ratio = try #require(result["ratio"] as? Double)
        #expect(ours > 0 && reference > 0)
        #expect(abs(ratio - ours / reference) <= 1e-9 * ratio)
    }

    @Test func trainStepHasNoReferenceYet() throws {
        let run = try runCLI(["bench", "kernels", "--quick", "--json", "--filter", "train_step"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        let report = try #require(object as? [String: Any])
        let result = try #require((report["results"] as? [[String: Any]])?.first)
        #expect(result["unit"] as? String == "tokens/s")
        #expect((result["ours"] as? Double ?? 0) > 0)
        #expect(result["reference"] is NSNull)
        #expect(result["ratio"] is NSNull)
    }

    @Test func unknownSuiteFailsWithOneClearLine() throws {
        let run = try runCLI(["bench", "nonsense"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("nonsense"))
        #expect(!run.standardError.contains("Fatal error"))
    }

    @Test func filterMatchingNothingNamesTheCases() throws {
        let run = try runCLI(["bench", "kernels", "--filter", "no-such-case"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("--filter 'no-such-case' matches no case"))
        #expect(run.standardError.contains("gemm/square-256"))
    }
}
