import Foundation
import SeqModels
import SeqText
import Yams

/// Everything `seq2seq task train CONFIG.yaml` needs: a pointer network trained on an
/// algorithmic task whose targets are input positions (sorting, convex hull, TSP, Delaunay).
///
/// ```yaml
/// task: convex-hull
/// seed: 1
/// data:
///   train: {count: 100000, length: 10, seed: 1, freshEachEpoch: true}
///   valid: {count: 1000, length: 10, seed: 2}
/// model: {elementSize: 2, hiddenSize: 128, constraint: noRepeats}
/// training: {batchSize: 128, learningRate: 1e-3, warmupSteps: 200, schedule: constant,
///            maxMinutes: 30, evaluateEvery: 500}
/// evaluation: {beam: 1}
/// ```
///
/// Loading is strict: an unknown key, or a value out of range, is an error naming the key.
/// `hint` adds the successor hint of task hinting (`TaskHint`) for the sorting tasks.
/// `training` takes `OptimizationConfig`'s keys except those of translation batching and
/// smoothing (`maxTokens`, `maxSentences`, `labelSmoothing`, `averageLast`), which are
/// errors here; `batchSize` (examples) is required. Relative paths are resolved against the
/// directory of the config file.
public struct TaskTrainConfig: Sendable {
    /// The task; its targets must be input positions.
    public var task: TaskName
    /// Seed of every random choice of the run (initialisation, example order, set orders).
    public var seed: UInt64 = 1
    /// The examples.
    public var data: TaskDataConfig
    /// The pointer network; `elementSize` must be the task's (plus one with `hint`).
    public var model: PointerNetworkConfig
    /// Optimisation settings.
    public var training: OptimizationConfig
    /// Decoding and scoring.
    public var evaluation = TaskEvaluationConfig()
    /// Train on orders searched over the target's elements (Order Matters), or `nil` to
    /// train on the targets' own order.
    public var setOrder: SetOrderTraining?
    /// Also train on the successor hint (task hinting), or `nil`.
    public var hint: TaskHint?

    /// Reads and validates the YAML file at `url`.
    ///
    /// - Throws: `TrainingError` naming the file and the offending key.
    public static func load(contentsOf url: URL) throws -> TaskTrainConfig {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw TrainingError(file: url.path, detail: "cannot read the config (\(error))")
        }
        return try parse(yaml: text, file: url.path, baseDirectory: url.deletingLastPathComponent())
    }

    /// Parses and validates YAML `text`; `file` names it in errors, `baseDirectory` resolves
    /// relative paths.
    ///
    /// - Throws: `TrainingError` naming `file` and the offending key.
    public static func parse(yaml text: String, file: String, baseDirectory: URL) throws
        -> TaskTrainConfig
    {
        var config: TaskTrainConfig
        do {
            config = try YAMLDecoder().decode(TaskTrainConfig.self, from: text)
            config.data.resolvePaths(against: baseDirectory)
            try config.validate()
        } catch let error as ConfigError {
            throw TrainingError(file: file, detail: error.description)
        } catch let error as DecodingError {
            if let configError = underlyingConfigError(error) {
                throw TrainingError(file: file, detail: configError.description)
            }
            throw TrainingError(file: file, detail: describe(error))
        } catch {
            throw TrainingError(file: file, detail: "invalid YAML (\(error))")
        }
        return config
    }

    /// Checks ranges and combinations of settings.
    func validate() throws {
        guard task.targetKind == .indices else {
            throw ConfigError(
                key: "task",
                detail:
                    "= \(task.rawValue) has token targets; a pointer network needs a task whose targets are input positions"
            )
        }
        let elementSize = task.elementSize + (hint == nil ? 0 : 1)
        guard model.elementSize == elementSize else {
            throw ConfigError(
                key: "model.elementSize",
                detail:
                    "= \(model.elementSize), but \(task.rawValue) has \(elementSize)"
                    + (hint == nil ? "" : " with `hint` (its values and the task flag)"))
        }
        do {
            try model.validate()
        } catch let error as ConfigError {
            throw ConfigError(key: "model.\(error.key)", detail: error.detail)
        }
        try training.validate()
        try evaluation.validate()
        try data.validate(task: task)
        if setOrder != nil && model.maskedTraining {
            throw ConfigError(
                key: "setOrder", detail: "cannot be combined with `model.maskedTraining`")
        }
        if let hint {
            try hint.validate()
            guard TaskHint.tasks.contains(task) else {
                throw ConfigError(
                    key: "hint", detail: "the successor hint is for sorting, not \(task.rawValue)")
            }
            guard !model.maskedTraining && setOrder == nil else {
                throw ConfigError(
                    key: "hint",
                    detail:
                        "cannot be combined with `model.maskedTraining` or `setOrder` (hint targets repeat positions)"
                )
            }
        }
    }
}

extension TaskTrainConfig: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case task, seed, data, model, training, evaluation, setOrder, hint
    }

    /// Decodes strictly: unknown keys are errors; `task`, `data` and `training` are required.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        for key in [Keys.task, .data, .training] where !container.contains(key) {
            throw ConfigError(key: key.stringValue, detail: "required")
        }
        let name: String = try container.decode(forKey: .task, default: "")
        guard let task = TaskName(rawValue: name) else {
            throw ConfigError(
                key: "task", detail: "'\(name)' is not a task; choose from \(TaskName.allNames)")
        }
        self.task = task
        seed = try container.decode(forKey: .seed, default: seed)
        data = try container.decode(TaskDataConfig.self, forKey: .data)
        hint = try container.decodeIfPresent(TaskHint.self, forKey: .hint)
        let elementSize = task.elementSize + (hint == nil ? 0 : 1)
        var model = PointerNetworkConfig()
        model.elementSize = elementSize
        if container.contains(.model) {
            model = try container.decode(PointerNetworkConfig.self, forKey: .model)
            let keys = try container.nestedContainer(keyedBy: PresentKey.self, forKey: .model)
            if !keys.contains(PresentKey("elementSize")) { model.elementSize = elementSize }
        }
        self.model = model
        training = try container.decode(OptimizationConfig.self, forKey: .training)
        let trainingKeys = try container.nestedContainer(
            keyedBy: PresentKey.self, forKey: .training)
        for key in ["maxTokens", "maxSentences", "labelSmoothing", "averageLast"]
        where trainingKeys.contains(PresentKey(key)) {
            throw ConfigError(
                key: "training.\(key)",
                detail: "is for translation; task training batches `batchSize` examples")
        }
        guard training.batchSize != nil else {
            throw ConfigError(key: "training.batchSize", detail: "required (examples per batch)")
        }
        training.labelSmoothing = 0
        evaluation =
            try container.decodeIfPresent(TaskEvaluationConfig.self, forKey: .evaluation)
            ?? evaluation
        setOrder = try container.decodeIfPresent(SetOrderTraining.self, forKey: .setOrder)
    }
}

/// A key looked up only to see whether a section names it.
private struct PresentKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
