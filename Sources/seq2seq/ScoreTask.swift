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
        let score = TaskScore.score(task, predictions: predicted, examples: examples)
        print(try taskReport(task, score, json: json))
    }
}
