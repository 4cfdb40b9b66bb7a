import Dispatch
import Foundation

/// Generates examples of a `TaskName`, reproducibly from a seed.
///
/// Each example's length is drawn uniformly from `lengths`, then its inputs, from one
/// SplitMix64 stream: the same task, settings and seed give the same examples on every
/// platform and with any number of cores (labels are pure functions of the inputs; TSP labels
/// are computed on all cores).
public struct TaskGenerator: Sendable {
    /// The task.
    public let task: TaskName
    /// The lengths drawn from (elements, or digits per operand for `addition`).
    public let lengths: ClosedRange<Int>
    /// The largest integer token drawn for `copy`, `reverse` and the integer sorting tasks
    /// (tokens are drawn from `1...maxValue`); unused by the other tasks.
    public let maxValue: Int

    /// Creates a generator.
    ///
    /// - Parameters:
    ///   - task: The task.
    ///   - lengths: The lengths to draw from, at least `task.minimumLength`.
    ///   - maxValue: The largest token for the integer tasks; `task.defaultMaxValue` if `nil`.
    /// - Throws: `TaskSettingsError` naming the setting that is out of range.
    public init(task: TaskName, lengths: ClosedRange<Int>, maxValue: Int? = nil) throws {
        guard lengths.lowerBound >= task.minimumLength else {
            throw TaskSettingsError(
                "\(task.rawValue) needs lengths of at least \(task.minimumLength), got "
                    + "\(lengths.lowerBound)..\(lengths.upperBound)")
        }
        let value = maxValue ?? task.defaultMaxValue
        guard value >= 1, value <= 1 << 24 else {
            throw TaskSettingsError("the largest value must be in 1...16777216, got \(value)")
        }
        self.task = task
        self.lengths = lengths
        self.maxValue = value
    }

    /// `count` examples drawn from a generator seeded with `seed`.
    ///
    /// - Complexity: O(n log n) per example, O(2ⁿ n²) per TSP example of up to
    ///   `TravellingSalesman.exactLimit` cities and O(n²) per 2-opt pass beyond.
    public func examples(count: Int, seed: UInt64) -> [TaskExample] {
        precondition(count >= 0, "TaskGenerator.examples: negative count \(count)")
        var generator = SplitMix64(seed: seed)
        var examples: [TaskExample] = []
        examples.reserveCapacity(count)
        for _ in 0..<count {
            let length = lengths.lowerBound + generator.next(below: lengths.count)
            examples.append(example(length: length, using: &generator))
        }
        if task == .tsp { labelTours(&examples) }
        return examples
    }

    /// One example of `length` (TSP targets are left empty for `labelTours`).
    private func example(length: Int, using generator: inout SplitMix64) -> TaskExample {
        switch task {
        case .copy:
            let tokens = drawTokens(length, using: &generator)
            return TaskExample(inputs: tokens.map(Float.init), target: tokens)
        case .reverse:
            let tokens = drawTokens(length, using: &generator)
            return TaskExample(inputs: tokens.map(Float.init), target: tokens.reversed())
        case .sort:
            let values = (0..<length).map { _ in generator.nextUnitFloat() }
            return TaskExample(inputs: values, target: stableSortedPositions(values))
        case .sortIntegers:
            let values = drawTokens(length, using: &generator).map(Float.init)
            return TaskExample(inputs: values, target: stableSortedPositions(values))
        case .sortIntegersSuccessor:
            let tokens = drawTokens(length, using: &generator)
            return TaskExample(inputs: tokens.map(Float.init), target: successorHint(tokens))
        case .addition:
            return additionExample(digits: length, using: &generator)
        case .convexHull:
            while true {
                let points = (0..<(2 * length)).map { _ in generator.nextUnitFloat() }
                let hull = ConvexHull.vertices(of: points)
                if hull.count >= 3 { return TaskExample(inputs: points, target: hull) }
            }
        case .delaunay:
            while true {
                let points = (0..<(2 * length)).map { _ in generator.nextUnitFloat() }
                let triangles = DelaunayTriangulation.triangles(of: points)
                if !triangles.isEmpty {
                    return TaskExample(inputs: points, target: triangles.flatMap { $0 })
                }
            }
        case .tsp:
            let points = (0..<(2 * length)).map { _ in generator.nextUnitFloat() }
            return TaskExample(inputs: points, target: [])
        }
    }

    private func drawTokens(_ count: Int, using generator: inout SplitMix64) -> [Int] {
        (0..<count).map { _ in 1 + generator.next(below: maxValue) }
    }
}

/// The positions of `values` in ascending order, equal values in input order.
func stableSortedPositions(_ values: [Float]) -> [Int] {
    values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
}

/// `a_1 s_1 … a_n s_n`: each token followed by the token after it in the stable sorted order,
/// or 0 for the one sorted last.
func successorHint(_ tokens: [Int]) -> [Int] {
    let order = stableSortedPositions(tokens.map(Float.init))
    var successors = [Int](repeating: 0, count: tokens.count)
    for (current, next) in zip(order, order.dropFirst()) { successors[current] = tokens[next] }
    return zip(tokens, successors).flatMap { [$0, $1] }
}

/// Two operands of `digits` digits each, the separator between them, and their sum.
private func additionExample(digits: Int, using generator: inout SplitMix64) -> TaskExample {
    let first = (0..<digits).map { _ in generator.next(below: 10) }
    let second = (0..<digits).map { _ in generator.next(below: 10) }
    var sum = [Int](repeating: 0, count: digits + 1)
    var carry = 0
    for position in stride(from: digits - 1, through: 0, by: -1) {
        let total = first[position] + second[position] + carry
        sum[position + 1] = total % 10
        carry = total / 10
    }
    sum[0] = carry
    let inputs = first + [TaskName.additionSeparator] + second
    return TaskExample(inputs: inputs.map(Float.init), target: sum)
}

/// Labels every example with `TravellingSalesman.tour(of:)`, in contiguous chunks on all
/// cores; each worker reuses one set of Held–Karp tables.
private func labelTours(_ examples: inout [TaskExample]) {
    let count = examples.count
    let workers = min(max(1, ProcessInfo.processInfo.activeProcessorCount), max(1, count / 64))
    let chunk = (count + workers - 1) / max(1, workers)
    examples.withUnsafeMutableBufferPointer { buffer in
        // Each worker writes only the examples of its own chunk.
        nonisolated(unsafe) let shared = buffer
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var solver = HeldKarpSolver()
            for index in (worker * chunk)..<min(count, (worker + 1) * chunk) {
                let points = shared[index].inputs
                shared[index].target =
                    points.count / 2 <= TravellingSalesman.exactLimit
                    ? solver.tour(of: points) : TravellingSalesman.twoOptTour(of: points)
            }
        }
    }
}

extension SplitMix64 {
    /// A uniform `Float` in `[0, 1)` from the top 24 bits, as `SeededGenerator` draws it.
    mutating func nextUnitFloat() -> Float { Float(next() >> 40) * 0x1p-24 }
}
