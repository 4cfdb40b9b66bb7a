import Foundation
import Seq2Seq

/// The report of `task score` and `task evaluate`: one metric per line then one line per
/// length, or with `json` the object `{"task": NAME, ...the TaskScore fields}`.
func taskReport(_ task: TaskName, _ score: TaskScore, json: Bool) throws -> String {
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(
            decoding: try encoder.encode(TaskReport(task: task, score: score)), as: UTF8.self)
    }
    func percent(_ value: Double) -> String { String(format: "%.2f%%", 100 * value) }
    var lines = [
        "task: \(task.rawValue), \(score.count) examples",
        "exact accuracy: \(percent(score.exactAccuracy))",
        "token accuracy: \(percent(score.tokenAccuracy))",
    ]
    if let valid = score.validRate { lines.append("valid: \(percent(valid))") }
    if let sorted = score.sortedRate { lines.append("sorted: \(percent(sorted))") }
    if let coverage = score.areaCoverage { lines.append("area coverage: \(percent(coverage))") }
    if let coverage = score.triangleCoverage {
        lines.append("triangle coverage: \(percent(coverage))")
    }
    if let mean = score.meanTourLength, let reference = score.meanReferenceTourLength {
        lines.append(String(format: "mean tour length: %.4f (reference %.4f", mean, reference))
        lines[lines.count - 1] +=
            score.tourLengthRatio.map { String(format: ", ratio %.4f)", $0) } ?? ")"
    }
    for row in score.byLength {
        lines.append("length \(row.length): \(percent(row.exactAccuracy)) exact of \(row.count)")
    }
    return lines.joined(separator: "\n")
}

/// The `--json` layout: `{"task": NAME, ...the TaskScore fields}`.
private struct TaskReport: Encodable {
    var task: TaskName
    var score: TaskScore

    enum CodingKeys: String, CodingKey { case task }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try score.encode(to: encoder)
    }
}
