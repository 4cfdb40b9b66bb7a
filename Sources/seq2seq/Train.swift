import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq train CONFIG.yaml`: trains a model; `DIR/best` and `DIR/last` are model
/// directories every other command takes as `--model`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a translation model from a YAML config.")

    @Argument(help: "The training configuration (YAML).")
    var config: String

    @Option(help: "Where checkpoints and the metrics log go.")
    var output = "runs/latest"

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
        let settings = try TrainConfig.load(contentsOf: URL(fileURLWithPath: config))
        let interrupt = InterruptSignal()
        let trainer = try Trainer(
            config: settings, outputDirectory: URL(fileURLWithPath: output), resume: resume,
            maxMinutes: maxMinutes, report: { standardError($0) })
        try trainer.run(interrupt: interrupt)
    }
}
