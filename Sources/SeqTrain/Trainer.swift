import Foundation
import SeqMetrics
import SeqNN
import SeqTensor
import SeqText

/// Trains a translation model from a `TrainConfig`: AdamW with warm-up and inverse-square-root
/// decay, label-smoothed cross-entropy, clipping and accumulation, periodic evaluation
/// (validation loss and BLEU), early stopping, atomic `best/` and `last/` checkpoints, exact
/// resume, checkpoint averaging, progress display and a JSON-lines metrics log.
///
/// Output directory: `last/` and `best/` (model directories that `translate` takes),
/// `log.jsonl`, `steps/step-N` (kept for averaging) and `averaged/` (when `averageLast` > 1).
public final class Trainer {
    /// The validated configuration.
    public let config: TrainConfig
    /// Where checkpoints and the log go.
    public let outputDirectory: URL
    private let maxMinutes: Double?
    private let model: any TranslationModel
    private let description: ModelDescription
    private let tokenizer: SentencePieceTokenizer
    private let data: TrainingData
    private let optimizer: any Optimizer
    private let schedule: any LearningRateSchedule
    private let batches: BatchSchedule
    private var state = TrainingState()
    private var step = 0
    private var generator: SeededGenerator
    private var progress: ProgressReporter
    private let log: MetricsLog

    /// Prepares a run: reads the data, trains or loads the tokenizer, builds the model, and
    /// with `resume` restores everything from `outputDirectory/last`.
    ///
    /// - Parameters:
    ///   - config: The validated run configuration.
    ///   - outputDirectory: Where `last/`, `best/` and `log.jsonl` go.
    ///   - resume: Whether to continue from `outputDirectory/last`.
    ///   - maxMinutes: Overrides `training.maxMinutes`.
    ///   - report: Receives one line per preparation stage.
    /// - Throws: `TrainingError`, `ReaderError`, `TokenizerError` or `CheckpointError`
    ///   naming the file.
    public init(
        config: TrainConfig, outputDirectory: URL, resume: Bool, maxMinutes: Double? = nil,
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

        report("reading data")
        let trainPairs = try TrainingData.readPairs(config.data.train)
        let validPairs = try TrainingData.readPairs(config.data.valid)
        if let checkpoint, let stored = checkpoint.extraFiles[tokenizerFileName] {
            tokenizer = try SentencePieceTokenizer(serialized: stored)
        } else {
            report("training the tokenizer on \(trainPairs.count) pairs")
            tokenizer = try makeTokenizer(config.tokenizer, pairs: trainPairs, seed: config.seed)
        }
        report("tokenizing")
        data = TrainingData(trainPairs: trainPairs, validPairs: validPairs, tokenizer: tokenizer)

        description = try ModelDescription(
            architecture: config.architecture, model: config.model, tokenizer: tokenizer)
        generator = SeededGenerator(seed: config.seed)
        var initializer = generator.child(1)
        model = try description.makeModel(using: &initializer)
        optimizer = config.training.makeOptimizer(for: model)
        schedule = config.training.makeSchedule()
        batches = BatchSchedule(
            lengths: data.train.map {
                ExampleLength(source: $0.source.count, target: $0.target.count + 1)
            },
            options: BatchingOptions(
                maxTokens: config.training.maxTokens, maxSentences: config.training.maxSentences,
                maxSourceLength: config.data.maxSourceLength,
                maxTargetLength: config.data.maxTargetLength + 1, shuffle: true, seed: config.seed))
        progress = ProgressReporter(interval: config.training.logEvery)

        if let checkpoint {
            try checkpoint.restore(model, optimizer: optimizer)
            step = checkpoint.step
            generator = checkpoint.generator
            guard let stateData = checkpoint.extraFiles[TrainingState.fileName] else {
                throw TrainingError(
                    file: lastDirectory.appendingPathComponent(TrainingState.fileName).path,
                    detail: "missing: not a checkpoint written by `seq2seq train`")
            }
            do {
                state = try JSONDecoder().decode(TrainingState.self, from: stateData)
            } catch {
                throw TrainingError(
                    file: lastDirectory.appendingPathComponent(TrainingState.fileName).path,
                    detail: "invalid (\(error))")
            }
            model.restoreDropoutStates(state.dropoutStates)
        }
        log = try MetricsLog(
            url: outputDirectory.appendingPathComponent("log.jsonl"), resumedStep: step)
        report(
            "\(data.train.count) training pairs in \(batches.batches.count) batches "
                + "(\(batches.skippedIndices.count) skipped as too long), "
                + "\(data.valid.count) validation pairs, vocabulary \(tokenizer.vocabularySize), "
                + "\(model.parameterCount) parameters")
    }

    /// Runs until a stopping rule fires or `interrupt` is raised; then saves `last/`.
    ///
    /// - Returns: The final evaluation, if one ran.
    /// - Throws: `CheckpointError` if a checkpoint cannot be written.
    @discardableResult
    public func run(interrupt: InterruptSignal? = nil) throws -> EvaluationResult? {
        if state.finished {
            progress.message("the run in \(outputDirectory.path) has already finished")
            return nil
        }
        model.setTraining(true)
        let budget = TrainingBudget(
            maxSteps: config.training.maxSteps, maxMinutes: maxMinutes,
            previouslyElapsed: state.elapsedSeconds)
        func elapsed() -> Double { budget.elapsed() }
        var iterator = batches.makeIterator(
            from: BatchPosition(epoch: state.position.epoch, index: state.position.index),
            endEpoch: config.training.maxEpochs)
        var windowTokens = 0
        var windowLoss = 0.0
        var windowStart = Date()
        var lastEvaluation: EvaluationResult?
        var stopReason = "finished"

        training: while true {
            if let reason = budget.stopReason(step: step, interrupt: interrupt) {
                stopReason = reason
                break
            }

            var stepTokens = 0
            var stepLoss = 0.0
            for _ in 0..<config.training.accumulation {
                guard let (_, batch) = iterator.next() else {
                    stopReason = "reached maxEpochs"
                    break training
                }
                let pairs = batch.indices.map { data.train[$0] }
                let (sum, tokens) = model.loss(
                    pairs, labelSmoothing: config.training.labelSmoothing)
                (sum * (1 / Float(max(1, tokens)) / Float(config.training.accumulation))).backward()
                stepLoss += Double(sum.scalar)
                stepTokens += tokens
                state.position = .init(
                    epoch: iterator.position.epoch, index: iterator.position.index)
            }
            let gradientNorm = config.training.clipNorm.map {
                clipGradientNorm(model.trainableParameters(), maxNorm: $0)
            }
            let learningRate = schedule.learningRate(at: step + 1)
            optimizer.learningRate = learningRate
            optimizer.step()
            optimizer.zeroGradients()
            step += 1

            windowTokens += stepTokens
            windowLoss += stepLoss
            let windowSeconds = Date().timeIntervalSince(windowStart)
            let tokensPerSecond = Double(windowTokens) / max(windowSeconds, 1e-9)
            progress.update(
                step: step, totalSteps: config.training.maxSteps,
                loss: windowLoss / Double(max(1, windowTokens)), tokensPerSecond: tokensPerSecond,
                learningRate: learningRate,
                secondsLeft: budget.secondsLeft())
            if step % config.training.logEvery == 0 {
                var fields: [String: Any] = [
                    "loss": windowLoss / Double(max(1, windowTokens)),
                    "target_tokens_per_second": tokensPerSecond, "learning_rate": learningRate,
                    "epoch": state.position.epoch,
                    "elapsed_seconds": elapsed(),
                ]
                if let gradientNorm { fields["gradient_norm"] = gradientNorm }
                log.record(step: step, event: "train", fields)
                (windowTokens, windowLoss, windowStart) = (0, 0, Date())
            }

            if step % config.training.evaluateEvery == 0 {
                let evaluation = evaluate()
                lastEvaluation = evaluation
                let improved = evaluation.bleu > (state.bestBLEU ?? -1)
                if improved {
                    state.bestBLEU = evaluation.bleu
                    state.bestStep = step
                    state.evaluationsWithoutImprovement = 0
                } else {
                    state.evaluationsWithoutImprovement += 1
                }
                log.record(
                    step: step, event: "eval",
                    [
                        "valid_loss": evaluation.loss, "valid_perplexity": exp(evaluation.loss),
                        "bleu": evaluation.bleu, "chrf": evaluation.chrF, "improved": improved,
                        "elapsed_seconds": elapsed(),
                    ])
                progress.message(
                    String(
                        format: "step %d: valid loss %.4f, BLEU %.2f, chrF %.2f%@", step,
                        evaluation.loss, evaluation.bleu, evaluation.chrF, improved ? " (best)" : ""
                    ))
                state.elapsedSeconds = elapsed()
                try saveCheckpoints(best: improved)
                if let patience = config.training.patience,
                    state.evaluationsWithoutImprovement >= patience
                {
                    stopReason = "no improvement in \(patience) evaluations"
                    break
                }
                model.setTraining(true)
            }
        }

        state.elapsedSeconds = elapsed()
        let interrupted = stopReason == TrainingBudget.interrupted
        if !interrupted {
            if lastEvaluation == nil || step % config.training.evaluateEvery != 0 {
                let evaluation = evaluate()
                lastEvaluation = evaluation
                if evaluation.bleu > (state.bestBLEU ?? -1) {
                    state.bestBLEU = evaluation.bleu
                    state.bestStep = step
                    try saveCheckpoints(best: true)
                }
                log.record(
                    step: step, event: "eval",
                    [
                        "valid_loss": evaluation.loss, "bleu": evaluation.bleu,
                        "chrf": evaluation.chrF,
                    ])
            }
            state.finished = true
        }
        try saveLast()
        if !interrupted, config.training.averageLast > 1 { try writeAverage() }
        log.record(
            step: step, event: interrupted ? "interrupted" : "finished", ["reason": stopReason])
        progress.message(
            "\(stopReason) after \(step) steps (\(formatDuration(state.elapsedSeconds))); "
                + "checkpoints in \(outputDirectory.path)")
        return lastEvaluation
    }

    /// Validation loss (plain negative log-likelihood per target token) and BLEU/chrF of the
    /// decoded validation set.
    public func evaluate() -> EvaluationResult {
        model.setTraining(false)
        defer { model.setTraining(true) }
        return evaluateModel(
            model, data: data, tokenizer: tokenizer, settings: config.evaluation,
            maxTokens: config.training.maxTokens)
    }

    private func saveCheckpoints(best: Bool) throws {
        try saveLast()
        let weights = model.stateDictionary()
        let files = try description.files(tokenizer: tokenizer)
        if best {
            try Checkpoint(
                weights: weights, step: step, generator: generator, config: files.config,
                extraFiles: files.extra
            ).write(to: outputDirectory.appendingPathComponent("best"))
        }
        if config.training.averageLast > 1 {
            let directory = stepsDirectory.appendingPathComponent("step-\(step)")
            try Checkpoint(
                weights: weights, step: step, generator: generator, config: files.config,
                extraFiles: files.extra
            ).write(to: directory)
            state.keptSteps.append(step)
            while state.keptSteps.count > config.training.averageLast {
                let oldest = stepsDirectory.appendingPathComponent(
                    "step-\(state.keptSteps.removeFirst())")
                do {
                    try FileManager.default.removeItem(at: oldest)
                } catch {
                    throw TrainingError(
                        file: oldest.path, detail: "cannot remove an old checkpoint (\(error))")
                }
            }
        }
    }

    private var stepsDirectory: URL { outputDirectory.appendingPathComponent("steps") }

    private func saveLast() throws {
        state.dropoutStates = model.dropoutStates
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let files = try description.files(tokenizer: tokenizer)
        var extra = files.extra
        extra[TrainingState.fileName] = try encoder.encode(state)
        try Checkpoint(
            weights: model.stateDictionary(), optimizerState: optimizer.state, step: step,
            generator: generator, config: files.config, extraFiles: extra
        ).write(to: outputDirectory.appendingPathComponent("last"))
        log.record(step: step, event: "checkpoint", ["directory": "last"])
    }

    private func writeAverage() throws {
        let directories = state.keptSteps.map {
            stepsDirectory.appendingPathComponent("step-\($0)")
        }
        guard directories.count > 1 else { return }
        try averageCheckpoints(
            directories, into: outputDirectory.appendingPathComponent("averaged"))
        progress.message("averaged the last \(directories.count) checkpoints into averaged/")
    }
}
