import Foundation
import SeqTesting
import Testing

@Suite struct BenchCommandTests {
    @Test func benchKernelsJSONNamesEveryCase() throws {
        let run = try runCLI(["bench", "kernels", "--quick", "--json"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        #if DEBUG
            #expect(run.standardError.contains("WARNING: this is a DEBUG build"))
        #else
            #expect(!run.standardError.contains("WARNING"))
        #endif
        let object = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        let report = try #require(object as? [String: Any])
        #expect(report["build"] as? String == "debug" || report["build"] as? String == "release")
        #expect(report["machine"] is [String: Any])
        let results = try #require(report["results"] as? [[String: Any]])
        let names = results.compactMap { result -> String? in
            guard let suite = result["suite"] as? String, let name = result["case"] as? String
            else { return nil }
            return "\(suite)/\(name)"
        }
        #expect(
            names == [
                "gemm/square-256", "gemm/square-512", "gemm/square-1024", "gemm/square-2048",
                "gemm/batched-attention", "elementwise/add", "elementwise/mul", "elementwise/gelu",
                "softmax/4096x1024", "layernorm/4096x1024", "train_step/encoder-2x256",
            ])
        for result in results {
            let ours = try #require(result["ours"] as? Double)
            #expect(ours > 0)
            if let reference = result["reference"] as? Double {
                let ratio = try #require(result["ratio"] as? Double)
                #expect(abs(ratio - ours / reference) <= 1e-9 * ratio)
            } else {
                #expect(result["reference"] is NSNull)
            }
        }
    }

    @Test func unknownSuiteFailsWithOneClearLine() throws {
        let run = try runCLI(["bench", "nonsense"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("nonsense"))
        #expect(!run.standardError.contains("Fatal error"))
    }
}
