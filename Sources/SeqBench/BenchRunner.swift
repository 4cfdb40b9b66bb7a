/// Runs benchmark suites and collects their report.
package enum BenchRunner {
    /// Runs `comparisons` one after another, calling `progress` after each, and returns the
    /// report for this machine and build.
    package static func run(
        _ comparisons: [Comparison], progress: (BenchResult) -> Void = { _ in }
    ) -> BenchReport {
        var results: [BenchResult] = []
        for comparison in comparisons {
            let result = comparison.run()
            progress(result)
            results.append(result)
        }
        return BenchReport(
            machine: .current(), build: BenchReport.buildConfiguration, results: results)
    }
}
