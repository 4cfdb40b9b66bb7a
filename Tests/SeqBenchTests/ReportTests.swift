import Foundation
import Testing

@testable import SeqBench

@Suite struct ReportTests {
    private let report = BenchReport(
        machine: MachineDescription(
            cpu: "test cpu", cores: 2, threads: 2, operatingSystem: "test os", blas: "OpenBLAS"),
        build: "release",
        results: [
            BenchResult(
                suite: "gemm", case: "square-256", unit: "GFLOP/s", ours: 90, reference: 100,
                ratio: 0.9, repetitions: 5),
            BenchResult(
                suite: "train_step", case: "encoder-2x256", unit: "tokens/s", ours: 5000,
                reference: nil, ratio: nil, repetitions: 3),
        ])

    @Test func jsonHasTheDocumentedFieldsAndExplicitNulls() throws {
        let object = try JSONSerialization.jsonObject(with: Data(try report.json().utf8))
        let root = try #require(object as? [String: Any])
        #expect(Set(root.keys) == ["machine", "build", "results"])
        let results = try #require(root["results"] as? [[String: Any]])
        #expect(results[0]["ratio"] as? Double == 0.9)
        #expect(results[1]["reference"] is NSNull)
        #expect(results[1]["ratio"] is NSNull)
        for result in results {
            for key in ["suite", "case", "unit", "ours", "reference", "ratio"] {
                #expect(result.keys.contains(key), "missing \(key)")
            }
        }
    }

    @Test func tableHasOneAlignedRowPerResult() {
        let lines = report.table().split(separator: "\n", omittingEmptySubsequences: false)
        let rows = lines.filter { $0.hasPrefix("gemm") || $0.hasPrefix("train_step") }
        #expect(rows.count == 2)
        #expect(rows[0].contains("0.90×"))
        #expect(rows[1].contains("—"))
        #expect(Set(rows.map(\.count)).count == 1, "rows differ in width: \(rows)")
    }

    @Test func comparisonRatioIsOursOverReference() {
        let comparison = Comparison(
            suite: "s", name: "c", unit: "GB/s", work: 1, warmup: 0, repetitions: 3,
            candidate: { blackHole((0..<1000).reduce(0, +)) },
            reference: { blackHole((0..<1000).reduce(0, +)) })
        let result = comparison.run()
        let reference = result.reference ?? 0
        #expect(result.ours > 0 && reference > 0)
        #expect(abs((result.ratio ?? 0) - result.ours / reference) < 1e-12)
    }
}
