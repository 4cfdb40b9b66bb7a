import Dispatch

/// Keeps `value` alive so the optimiser cannot delete the work that produced it.
@inline(never) package func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Wall-clock seconds of one call of `body`.
private func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}

/// The median of `samples`.
private func median(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    return sorted[sorted.count / 2]
}

/// One benchmark case: a candidate (our code) and the reference it is judged against, measured
/// in the same run on the same data.
package struct Comparison {
    /// Suite name, such as `gemm`.
    package let suite: String
    /// Case name within the suite, such as `square-1024`.
    package let name: String
    /// Unit of the rates: `GFLOP/s`, `GB/s` or `tokens/s`.
    package let unit: String
    /// Work done per call, in the unit's numerator (GFLOP, GB or tokens).
    package let work: Double
    /// Untimed calls before measuring.
    package let warmup: Int
    /// Timed calls; the median is reported.
    package let repetitions: Int
    /// Our code.
    package let candidate: () -> Void
    /// The reference, or `nil` where none exists yet.
    package let reference: (() -> Void)?

    /// Measures both and returns the result line.
    ///
    /// Reference and candidate calls alternate, so a change in the machine's load during the
    /// run affects both alike; each rate comes from the median of `repetitions` calls.
    package func run() -> BenchResult {
        for _ in 0..<warmup {
            reference?()
            candidate()
        }
        var referenceSamples: [Double] = []
        var candidateSamples: [Double] = []
        for _ in 0..<max(1, repetitions) {
            if let reference { referenceSamples.append(seconds(reference)) }
            candidateSamples.append(seconds(candidate))
        }
        let referenceRate = referenceSamples.isEmpty ? nil : work / median(referenceSamples)
        let ours = work / median(candidateSamples)
        return BenchResult(
            suite: suite, case: name, unit: unit, ours: ours, reference: referenceRate,
            ratio: referenceRate.map { ours / $0 }, repetitions: repetitions)
    }
}
