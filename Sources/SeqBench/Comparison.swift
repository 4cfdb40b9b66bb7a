import Dispatch

/// Keeps `value` alive so the optimiser cannot delete the work that produced it.
@inline(never) package func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// The median wall-clock seconds of `repetitions` calls of `body`, after `warmup` untimed calls.
package func medianSeconds(warmup: Int, repetitions: Int, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var samples: [Double] = []
    samples.reserveCapacity(repetitions)
    for _ in 0..<max(1, repetitions) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    samples.sort()
    return samples[samples.count / 2]
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

    /// Measures both (reference first, then candidate) and returns the result line.
    package func run() -> BenchResult {
        let referenceRate = reference.map {
            work / medianSeconds(warmup: warmup, repetitions: repetitions, $0)
        }
        let ours = work / medianSeconds(warmup: warmup, repetitions: repetitions, candidate)
        return BenchResult(
            suite: suite, case: name, unit: unit, ours: ours, reference: referenceRate,
            ratio: referenceRate.map { ours / $0 }, repetitions: repetitions)
    }
}
