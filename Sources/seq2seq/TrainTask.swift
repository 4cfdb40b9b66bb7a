import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq task train CONFIG.yaml`: trains a pointer network on an algorithmic task;
/// `DIR/best` is the model `task evaluate` takes.
struct TrainTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a pointer network on an algorithmic task from a YAML config.",
        discussion: """
            Writes DIR/best (the best model on the validation set), DIR/last (a checkpoint \
            for --resume), DIR/log.jsonl and, when the config has a test set, DIR/test.json. \
            Ctrl-C saves DIR/last and stops.
            """)

    @Argument(help: "The task training configuration (YAML).")
    var config: String

    @Option(help: "Where checkpoints and the metrics log go.")
    var output = "runs/task"

    @Flag(help: "Continue the run in --output from its last checkpoint.")
    var resume = false

    @Option(help: "Stop after this many minutes of training (overrides training.maxMinutes).")
    var maxMinutes: Double?

    func validate() throws {
        if let maxMinutes, maxMinutes <= 0 {
            throw ValidationError("--max-minutes must be positive, got \(maxMinutes)")
        }
    }

    func run() throws {
        let settings = try TaskTrainConfig.load(contentsOf: URL(fileURLWithPath: config))
        let interrupt = InterruptSignal()
        let trainer = try TaskTrainer(
            config: settings, outputDirectory: URL(fileURLWithPath: output), resume: resume,
            maxMinutes: maxMinutes, report: { standardError($0) })
        try trainer.run(interrupt: interrupt)
    }
}
