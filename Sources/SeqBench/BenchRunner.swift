/// A named benchmark case whose inputs are built only when it runs.
package struct BenchCase {
    /// Suite name, such as `gemm`.
    package let suite: String
    /// Case name within the suite, such as `square-1024`.
    package let name: String
    /// Builds the inputs, measures, and returns the result line.
    package let measure: () -> BenchResult

    /// A case measured by the comparison that `make` builds.
    package init(suite: String, name: String, make: @escaping () -> Comparison) {
        self.suite = suite
        self.name = name
        measure = { make().run() }
    }

    /// A case whose result `measure` produces directly (a figure that is not a timing, such
    /// as peak memory).
    package init(suite: String, name: String, measure: @escaping () -> BenchResult) {
        self.suite = suite
        self.name = name
        self.measure = measure
    }

    /// `suite/name`, as `--filter` matches it.
    package var path: String { "\(suite)/\(name)" }
}

/// Runs benchmark cases and collects their report.
package enum BenchRunner {
    /// Runs `cases` one after another and returns the report for this machine and build.
    ///
    /// `progress` is called after each case. Each case's inputs are freed before the next one is built.
    package static func run(
        _ cases: [BenchCase], progress: (BenchResult) -> Void = { _ in }
    ) -> BenchReport {
        var results: [BenchResult] = []
        for benchCase in cases {
            let result = benchCase.measure()
            progress(result)
            results.append(result)
        }
        return BenchReport(
            machine: .current(), build: BenchReport.buildConfiguration, results: results)
    }
}
