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
    /// Unit of the figures: a rate (`GFLOP/s`, `GB/s`, `tokens/s`) or `ms`.
    package let unit: String
    /// Work done per call, in the unit's numerator (GFLOP, GB or tokens); `nil` reports the
    /// time of one call in milliseconds instead of a rate.
    package let work: Double?
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
    /// run affects both alike; each figure comes from the median of `repetitions` calls. For
    /// times (`work == nil`) the ratio is the reference's time over ours, so that a ratio
    /// above 1 still means that we are faster.
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
        let referenceSeconds = referenceSamples.isEmpty ? nil : median(referenceSamples)
        let oursSeconds = median(candidateSamples)
        guard let work else {
            return BenchResult(
                suite: suite, case: name, unit: unit, ours: oursSeconds * 1e3,
                reference: referenceSeconds.map { $0 * 1e3 },
                ratio: referenceSeconds.map { $0 / oursSeconds }, repetitions: repetitions)
        }
        let referenceRate = referenceSeconds.map { work / $0 }
        let ours = work / oursSeconds
        return BenchResult(
            suite: suite, case: name, unit: unit, ours: ours, reference: referenceRate,
            ratio: referenceRate.map { ours / $0 }, repetitions: repetitions)
    }
}
