import Foundation
import SeqMetrics
import SeqModels
import SeqNN
import SeqTensor
import SeqText

/// Trains a pointer network on an algorithmic task from a `TaskTrainConfig`: teacher-forced
/// cross-entropy over input positions (optionally on orders searched by the model, Order
/// Matters), Adam or AdamW with warm-up, clipping, periodic evaluation with the task's
/// metrics, early stopping, atomic `best/` and `last/` checkpoints, exact resume, progress
/// display, a JSON-lines metrics log, and a final test evaluation.
///
/// Output directory: `best/` (a model directory, `PointerNetwork.save` plus `task.json`),
/// `last/` (a `Checkpoint` with the optimizer and run state), `log.jsonl`, and `test.json`
/// (the test metrics of `best/`) when the config has a test set.
public final class TaskTrainer {
    /// The validated configuration.
    public let config: TaskTrainConfig
    /// Where checkpoints and the log go.
    public let outputDirectory: URL
    private let maxMinutes: Double?
    private let model: TaskModel
    private let optimizer: any Optimizer
    private let schedule: any LearningRateSchedule
    private var state = TaskTrainingState()
    private var step = 0
    private var generator: SeededGenerator
    private var progress: ProgressReporter
    private let log: MetricsLog
    private var train: [TaskExample] = []
    private var order: [Int] = []
    private let valid: [TaskExample]
    private let test: [TaskExample]?

    /// Prepares a run: reads or generates the data, builds the model, and with `resume`
    /// restores everything from `outputDirectory/last`.
    ///
    /// - Parameters:
    ///   - config: The validated run configuration.
    ///   - outputDirectory: Where `best/`, `last/` and `log.jsonl` go.
    ///   - resume: Whether to continue from `outputDirectory/last`.
    ///   - maxMinutes: Overrides `training.maxMinutes`.
    ///   - report: Receives one line per preparation stage.
    /// - Throws: `TrainingError`, `TaskFileError`, `ConfigError` or `CheckpointError` naming
    ///   the file or key.
    public init(
        config: TaskTrainConfig, outputDirectory: URL, resume: Bool, maxMinutes: Double? = nil,
        report: (String) -> Void = { _ in }
    ) throws {
        self.config = config
        self.outputDirectory = outputDirectory
        self.maxMinutes = maxMinutes ?? config.training.maxMinutes
        let lastDirectory = outputDirectory.appendingPathComponent("last")
        let checkpoint = resume ? try Checkpoint.read(from: lastDirectory) : nil
        if resume, checkpoint == nil {
            throw TrainingError(file: lastDirectory.path, detail: "no checkpoint to resume")
        }
        let (task, maxValue) = (config.task, config.data.maxValue)
        report("preparing the validation and test sets")
        valid = try config.data.valid.examples(task: task, maxValue: maxValue, key: "data.valid")
        test = try config.data.test?.examples(task: task, maxValue: maxValue, key: "data.test")

        generator = SeededGenerator(seed: config.seed)
        var initializer = generator.child(1)
        model = TaskModel(
            network: PointerNetwork(config: config.model, using: &initializer),
            info: TaskModelInfo(task: task, maxValue: maxValue, hintChannel: config.hint != nil))
        optimizer = config.training.makeOptimizer(for: model.network)
        schedule = config.training.makeSchedule()
        progress = ProgressReporter(interval: config.training.logEvery)

        if let checkpoint {
            try checkpoint.restore(model.network, optimizer: optimizer)
            step = checkpoint.step
            generator = checkpoint.generator
            let stateURL = lastDirectory.appendingPathComponent(TaskTrainingState.fileName)
            guard let stateData = checkpoint.extraFiles[TaskTrainingState.fileName] else {
                throw TrainingError(
                    file: stateURL.path,
                    detail: "missing: not a checkpoint written by `seq2seq task train`")
            }
            do {
                state = try JSONDecoder().decode(TaskTrainingState.self, from: stateData)
            } catch {
                throw TrainingError(file: stateURL.path, detail: "invalid (\(error))")
            }
        }
        log = try MetricsLog(
            url: outputDirectory.appendingPathComponent("log.jsonl"), resumedStep: step)
        report("preparing the training set (epoch \(state.epoch))")
        try loadEpoch(state.epoch)
        report(
            "\(task.rawValue): \(train.count) training examples per epoch"
                + (config.data.train.isFreshEachEpoch ? " (fresh each epoch)" : "")
                + ", \(valid.count) validation, \(test?.count ?? 0) test; "
                + "\(model.network.parameterCount) parameters")
    }

    /// Runs until a stopping rule fires or `interrupt` is raised; then saves `last/` and,
    /// unless interrupted, scores the test set with `best/`.
    ///
    /// - Returns: The last validation evaluation, if one ran.
    /// - Throws: `CheckpointError` if a checkpoint cannot be written, or the errors of
    ///   reading the next epoch's examples.
    @discardableResult
    public func run(interrupt: InterruptSignal? = nil) throws -> TaskEvaluation? {
        if state.finished {
            progress.message("the run in \(outputDirectory.path) has already finished")
            return nil
        }
        let budget = TrainingBudget(
            maxSteps: config.training.maxSteps, maxMinutes: maxMinutes,
            previouslyElapsed: state.elapsedSeconds)
        let batchSize = config.training.batchSize ?? 1
        var window = (slots: 0, loss: 0.0, examples: 0, start: Date())
        var lastEvaluation: TaskEvaluation?
        var stopReason = "finished"

        training: while true {
            if let reason = budget.stopReason(step: step, interrupt: interrupt) {
                stopReason = reason
                break
            }
            for _ in 0..<config.training.accumulation {
                if state.index >= order.count {
                    if let maxEpochs = config.training.maxEpochs, state.epoch + 1 >= maxEpochs {
                        stopReason = "reached maxEpochs"
                        break training
                    }
                    state.epoch += 1
                    state.index = 0
                    try loadEpoch(state.epoch)
                }
                let end = min(order.count, state.index + batchSize)
                let examples = order[state.index..<end].map { train[$0] }
                state.index = end
                let (loss, slots) = trainingLoss(examples)
                (loss * (1 / Float(config.training.accumulation))).backward()
                window.loss += Double(loss.scalar) * Double(slots)
                window.slots += slots
                window.examples += examples.count
                state.examplesSeen += examples.count
            }
            let gradientNorm = config.training.clipNorm.map {
                clipGradientNorm(model.network.trainableParameters(), maxNorm: $0)
            }
            let learningRate = schedule.learningRate(at: step + 1)
            optimizer.learningRate = learningRate
            optimizer.step()
            optimizer.zeroGradients()
            step += 1

            let seconds = max(Date().timeIntervalSince(window.start), 1e-9)
            progress.update(
                step: step, totalSteps: config.training.maxSteps,
                loss: window.loss / Double(max(1, window.slots)),
                tokensPerSecond: Double(window.slots) / seconds, learningRate: learningRate,
                secondsLeft: budget.secondsLeft())
            if step % config.training.logEvery == 0 {
                var fields: [String: Any] = [
                    "loss": window.loss / Double(max(1, window.slots)),
                    "examples_per_second": Double(window.examples) / seconds,
                    "learning_rate": learningRate, "epoch": state.epoch,
                    "examples_seen": state.examplesSeen, "elapsed_seconds": budget.elapsed(),
                ]
                if let gradientNorm { fields["gradient_norm"] = gradientNorm }
                log.record(step: step, event: "train", fields)
                window = (0, 0, 0, Date())
            }
            if step % config.training.evaluateEvery == 0 {
                lastEvaluation = try evaluateAndSave(elapsed: budget.elapsed())
                if let patience = config.training.patience,
                    state.evaluationsWithoutImprovement >= patience
                {
                    stopReason = "no improvement in \(patience) evaluations"
                    break
                }
            }
        }

        state.elapsedSeconds = budget.elapsed()
        let interrupted = stopReason == TrainingBudget.interrupted
        if !interrupted {
            if lastEvaluation == nil || step % config.training.evaluateEvery != 0 {
                lastEvaluation = try evaluateAndSave(elapsed: budget.elapsed())
            }
            state.finished = true
        }
        try saveLast()
        log.record(
            step: step, event: interrupted ? "interrupted" : "finished",
            ["reason": stopReason, "examples_seen": state.examplesSeen])
        progress.message(
            "\(stopReason) after \(step) steps, \(state.examplesSeen) examples "
                + "(\(formatDuration(state.elapsedSeconds))); best step "
                + "\(state.bestStep.map(String.init) ?? "none"); checkpoints in "
                + "\(outputDirectory.path)")
        if !interrupted, let test { try scoreTest(test) }
        return lastEvaluation
    }

    /// The validation loss and the task metrics of the decoded validation set (at most
    /// `evaluation.maxExamples`), with the current weights.
    public func evaluate() -> TaskEvaluation {
        let decoded = Array(valid.prefix(config.evaluation.maxExamples ?? valid.count))
        return withoutGradients {
            TaskEvaluation(
                loss: model.loss(valid, batchSize: config.evaluation.batchSize),
                score: TaskScore.score(
                    config.task, predictions: model.predict(decoded, settings: config.evaluation),
                    examples: decoded))
        }
    }

    /// The mean loss of `examples` (on searched orders with `setOrder`; each example made a
    /// hint example with probability `hint.fraction`) and the number of slots it averages
    /// over.
    private func trainingLoss(_ examples: [TaskExample]) -> (Tensor, Int) {
        var hints: [Bool]? = nil
        if let hint = config.hint {
            hints = examples.map { _ in Double(generator.nextUnitFloat()) < hint.fraction }
        }
        let batch = model.batch(examples, hints: hints)
        var targets = examples.indices.map { index in
            hints?[index] == true
                ? TaskHint.successorTarget(of: examples[index]) : examples[index].target
        }
        if let setOrder = config.setOrder {
            targets = model.network.trainingOrders(
                of: batch, for: targets, step: step, training: setOrder, using: &generator)
        }
        let slots = targets.reduce(0) { $0 + $1.count + 1 }
        return (model.network.loss(batch, targets: targets, reduction: .mean), slots)
    }

    /// Evaluates, logs, updates the best value and saves `last/` (and `best/` if improved).
    private func evaluateAndSave(elapsed: Double) throws -> TaskEvaluation {
        let evaluation = evaluate()
        let value = evaluation.score.selectionValue(for: config.task)
        let improved = state.bestValue.map { value > $0 } ?? true
        if improved {
            state.bestValue = value
            state.bestStep = step
            state.evaluationsWithoutImprovement = 0
        } else {
            state.evaluationsWithoutImprovement += 1
        }
        var fields = evaluation.score.logFields()
        fields["valid_loss"] = evaluation.loss
        fields["improved"] = improved
        fields["examples_seen"] = state.examplesSeen
        fields["elapsed_seconds"] = elapsed
        log.record(step: step, event: "eval", fields)
        progress.message(
            "step \(step): valid loss \(String(format: "%.4f", evaluation.loss)), "
                + evaluation.score.summary + (improved ? " (best)" : ""))
        state.elapsedSeconds = elapsed
        if improved {
            try model.network.save(
                to: outputDirectory.appendingPathComponent("best"),
                extraFiles: [TaskModelInfo.fileName: try infoData()])
        }
        try saveLast()
        return evaluation
    }

    /// Scores `examples` with `best/` at `evaluation.testBeam` and writes `test.json`.
    private func scoreTest(_ examples: [TaskExample]) throws {
        let best = try TaskModel.load(from: outputDirectory.appendingPathComponent("best"))
        let beam = config.evaluation.testBeam ?? config.evaluation.beam
        let score = withoutGradients {
            TaskScore.score(
                config.task,
                predictions: best.predict(examples, settings: config.evaluation, beam: beam),
                examples: examples)
        }
        let url = outputDirectory.appendingPathComponent("test.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(score).write(to: url, options: .atomic)
        } catch {
            throw TrainingError(file: url.path, detail: "cannot be written (\(error))")
        }
        var fields = score.logFields()
        fields["beam"] = beam
        log.record(step: step, event: "test", fields)
        progress.message("test (best/, beam \(beam)): " + score.summary)
    }

    private func saveLast() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try Checkpoint(
            weights: model.network.stateDictionary(), optimizerState: optimizer.state,
            step: step, generator: generator, config: try encoder.encode(config.model),
            extraFiles: [
                TaskModelInfo.fileName: try infoData(),
                TaskTrainingState.fileName: try encoder.encode(state),
            ]
        ).write(to: outputDirectory.appendingPathComponent("last"))
        log.record(step: step, event: "checkpoint", ["directory": "last"])
    }

    private func infoData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(model.info)
    }

    /// Reads or generates the examples of `epoch` and shuffles them with a generator derived
    /// from the seed and the epoch, so a resumed run sees the same order.
    private func loadEpoch(_ epoch: Int) throws {
        let reuse = !train.isEmpty && !config.data.train.isFreshEachEpoch
        if !reuse {
            train = try config.data.train.examples(
                task: config.task, maxValue: config.data.maxValue, epoch: epoch,
                key: "data.train")
        }
        var shuffler = SeededGenerator(seed: config.seed).child(UInt64(epoch) &+ 1000)
        order = Array(train.indices).shuffled(using: &shuffler)
    }
}

/// The validation figures of one evaluation of a task model.
public struct TaskEvaluation: Sendable {
    /// Mean teacher-forced negative log-likelihood per predicted slot.
    public let loss: Double
    /// The task metrics of the decoded examples.
    public let score: TaskScore
}
