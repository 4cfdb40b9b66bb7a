import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq task evaluate --model DIR --data FILE`: decodes a task file with a trained
/// pointer network and prints the task's metrics.
struct EvaluateTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Decode a task file with a trained pointer network and score it.",
        discussion: """
            --model is a run directory (its best/ is used), a best/ model directory or a \
            last/ checkpoint written by `task train`. Decoding is constrained by the model's \
            `constraint` unless --constraint is given (tsp and sort: permutation, every \
            position once; convex-hull: noRepeats). The metrics are those of `task score`.
            """)

    @Option(help: ArgumentHelp("The trained model.", valueName: "dir"))
    var model: String

    @Option(help: ArgumentHelp("The task file to decode and score.", valueName: "file"))
    var data: String

    @Option(help: "Beam size; 1 is greedy search.")
    var beam = 1

    @Option(help: "Exponent of the beam's length normalisation (0 ranks by log-probability).")
    var lengthPenalty: Float = 0

    @Option(help: "The outputs decoding allows: none, noRepeats or permutation.")
    var constraint: String?

    @Option(help: "Examples decoded together.")
    var batchSize = 256

    @Option(help: ArgumentHelp("Write the predictions to this file.", valueName: "file"))
    var predictions: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard beam >= 1 else { throw ValidationError("--beam must be at least 1, got \(beam)") }
        guard batchSize >= 1 else {
            throw ValidationError("--batch-size must be at least 1, got \(batchSize)")
        }
        _ = try parsedConstraint()
    }

    func run() throws {
        let trained = try TaskModel.load(from: URL(fileURLWithPath: model))
        let task = trained.info.task
        let examples = try TaskFile.read(contentsOf: URL(fileURLWithPath: data), task: task)
        guard !examples.isEmpty else { throw TaskCommandError("\(data) has no examples") }
        let settings = TaskEvaluationConfig(
            beam: beam, lengthPenalty: lengthPenalty, batchSize: batchSize,
            constraint: try parsedConstraint())
        let start = Date()
        let predicted = withoutGradients { trained.predict(examples, settings: settings) }
        let seconds = Date().timeIntervalSince(start)
        if let predictions {
            let text = predicted.map { $0.map(String.init).joined(separator: " ") + "\n" }.joined()
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: predictions), options: .atomic)
            } catch {
                throw TaskCommandError("\(predictions): cannot be written (\(error))")
            }
        }
        let score = TaskScore.score(task, predictions: predicted, examples: examples)
        standardError(
            "decoded \(examples.count) examples with beam \(beam) in "
                + String(format: "%.2f", seconds) + " s")
        print(try taskReport(task, score, json: json))
    }

    private func parsedConstraint() throws -> PointerConstraint? {
        guard let constraint else { return nil }
        guard let value = PointerConstraint(rawValue: constraint) else {
            throw ValidationError(
                "--constraint must be one of "
                    + PointerConstraint.allCases.map(\.rawValue).joined(separator: ", ")
                    + ", got '\(constraint)'")
        }
        return value
    }
}
