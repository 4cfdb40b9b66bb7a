import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq task score NAME`: the task's metrics for a predictions file against references.
struct ScoreTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score predicted outputs of an algorithmic task against its reference file.",
        discussion: """
            --predictions holds one line per reference example: the predicted positions or \
            tokens separated by spaces (an empty line is an empty prediction). Every task \
            reports exact-sequence accuracy, token accuracy and exact accuracy by length; \
            sorting adds the valid (permutation) and sorted rates; convex-hull the valid \
            (simple polygon over distinct points) rate and the mean area coverage of valid \
            predictions; delaunay the valid rate (whole triples of distinct points) and the \
            mean share of reference triangles predicted; tsp the valid-tour rate and the mean lengths of valid predicted \
            tours and of the reference tours of the same examples, and their ratio.
            """)

    @Argument(help: ArgumentHelp("The task: \(TaskName.allNames).", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The task file with the reference targets.", valueName: "file"))
    var reference: String

    @Option(help: ArgumentHelp("One predicted sequence per line.", valueName: "file"))
    var predictions: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws { _ = try taskNamed(name) }

    func run() throws {
        let task = try taskNamed(name)
        let examples = try TaskFile.read(contentsOf: URL(fileURLWithPath: reference), task: task)
        let predicted = try TaskFile.readPredictions(contentsOf: URL(fileURLWithPath: predictions))
        guard predicted.count == examples.count else {
            throw TaskCommandError(
                "\(predictions) has \(predicted.count) lines but \(reference) has "
                    + "\(examples.count) examples; give one prediction per example")
        }
        guard !examples.isEmpty else { throw TaskCommandError("\(reference) has no examples") }
        let score = taskScore(task, predictions: predicted, examples: examples)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(
                String(
                    decoding: try encoder.encode(Report(task: task, score: score)), as: UTF8.self))
        } else {
            print(text(task, score))
        }
    }
}

/// The metrics that fit `task`'s outputs.
private func taskScore(_ task: TaskName, predictions: [[Int]], examples: [TaskExample])
    -> TaskScore
{
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
            predictions: predictions, targets: targets, pointCounts: inputs.map { $0.count / 2 })
    case .copy, .reverse, .sortIntegersSuccessor, .addition:
        return .sequences(
            predictions: predictions, targets: targets, lengths: examples.map(task.length(of:)))
    }
}

/// The text report: one metric per line, then one line per length.
private func text(_ task: TaskName, _ score: TaskScore) -> String {
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
private struct Report: Encodable {
    var task: TaskName
    var score: TaskScore

    enum CodingKeys: String, CodingKey { case task }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try score.encode(to: encoder)
    }
}
