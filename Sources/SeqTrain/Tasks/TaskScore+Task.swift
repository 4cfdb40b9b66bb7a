import Foundation
import SeqMetrics
import SeqText

extension TaskScore {
    /// The metrics that fit `task`'s outputs: sorting adds the valid and sorted rates, convex
    /// hull the valid rate and area coverage, TSP the valid rate and tour lengths, Delaunay
    /// the triangle coverage; every task has exact, token and by-length accuracy.
    ///
    /// - Precondition: one prediction per example.
    public static func score(_ task: TaskName, predictions: [[Int]], examples: [TaskExample])
        -> TaskScore
    {
        precondition(
            predictions.count == examples.count,
            "TaskScore.score: \(predictions.count) predictions for \(examples.count) examples")
        let targets = examples.map(\.target)
        let inputs = examples.map(\.inputs)
        switch task {
        case .sort, .sortIntegers:
            return .sorting(predictions: predictions, targets: targets, values: inputs)
        case .convexHull:
            return .convexHull(predictions: predictions, targets: targets, points: inputs)
        case .tsp:
            return .tours(predictions: predictions, targets: targets, points: inputs)
        case .delaunay:
            return .triangulation(
                predictions: predictions, targets: targets,
                pointCounts: inputs.map { $0.count / 2 })
        case .copy, .reverse, .sortIntegersSuccessor, .addition:
            return .sequences(
                predictions: predictions, targets: targets,
                lengths: examples.map(task.length(of:)))
        }
    }

    /// The figure that picks the best checkpoint of `task`, higher is better: for TSP the
    /// negated ratio of predicted to reference tour length, counting an invalid tour as
    /// twice its reference (so 100% valid tours always win); for every other task the
    /// exact-sequence accuracy.
    public func selectionValue(for task: TaskName) -> Double {
        guard task == .tsp else { return exactAccuracy }
        let valid = validRate ?? 0
        return -((tourLengthRatio ?? 2) * valid + 2 * (1 - valid))
    }
}

extension TaskScore {
    /// The metrics on one line, percentages with two decimals: `exact 87.00%, token
    /// 95.10%, valid 100.00%, area 99.80%` and for TSP the mean tour lengths and their ratio.
    public var summary: String {
        func percent(_ value: Double) -> String { String(format: "%.2f%%", 100 * value) }
        var parts = ["exact \(percent(exactAccuracy))", "token \(percent(tokenAccuracy))"]
        if let validRate { parts.append("valid \(percent(validRate))") }
        if let sortedRate { parts.append("sorted \(percent(sortedRate))") }
        if let areaCoverage { parts.append("area \(percent(areaCoverage))") }
        if let triangleCoverage { parts.append("triangles \(percent(triangleCoverage))") }
        if let meanTourLength, let meanReferenceTourLength {
            parts.append(
                String(format: "tour %.4f (reference %.4f", meanTourLength, meanReferenceTourLength)
                    + (tourLengthRatio.map { String(format: ", ratio %.4f)", $0) } ?? ")"))
        }
        return parts.joined(separator: ", ")
    }

    /// The metrics as the fields of a log record: the JSON keys of `TaskScore` (the rows of
    /// `by_length` as objects).
    public func logFields() -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(self),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { preconditionFailure("TaskScore.logFields: the score does not encode as JSON") }
        return object
    }
}
