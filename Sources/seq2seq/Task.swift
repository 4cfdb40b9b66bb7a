import ArgumentParser
import Seq2Seq

/// `seq2seq task`: the algorithmic tasks of the pointer-network and set papers.
struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract:
            "Generate algorithmic task data, train and evaluate pointer networks on it, and score predictions.",
        discussion: """
            Tasks: \(TaskName.allNames). One example per line: the input values separated \
            by spaces (points as x1 y1 x2 y2 ...), a tab, then the target as 0-based input \
            positions or output tokens separated by spaces.
            """,
        subcommands: [GenerateTask.self, ScoreTask.self, TrainTask.self, EvaluateTask.self])
}

/// A problem with the files of a `task` subcommand, reported as one line.
struct TaskCommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// The task called `name`, or a validation error listing the tasks.
func taskNamed(_ name: String) throws -> TaskName {
    guard let task = TaskName(rawValue: name) else {
        throw ValidationError("unknown task '\(name)'; choose from \(TaskName.allNames)")
    }
    return task
}
