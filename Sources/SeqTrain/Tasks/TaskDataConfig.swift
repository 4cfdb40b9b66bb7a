import Foundation
import SeqModels
import SeqText

/// The examples of a task run: training, validation and (optionally) test sets.
///
/// ```yaml
/// data:
///   train: {count: 100000, length: 10, seed: 1, freshEachEpoch: true}
///   valid: {count: 1000, length: 10, seed: 2}
///   test: {file: data/hull-10-test.txt}
/// ```
public struct TaskDataConfig: Sendable, Equatable {
    /// The training examples.
    public var train: TaskDataSource
    /// The validation examples: loss, task metrics, best checkpoint and early stopping.
    public var valid: TaskDataSource
    /// Examples scored once with the best model when training ends, or `nil`.
    public var test: TaskDataSource?
    /// The largest integer token of the integer tasks (generation and input scaling), or
    /// `nil` for `TaskName.defaultMaxValue`.
    public var maxValue: Int?

    mutating func resolvePaths(against base: URL) {
        train.resolvePaths(against: base)
        valid.resolvePaths(against: base)
        test?.resolvePaths(against: base)
    }

    /// Checks that the generated sets suit `task` and that only `train` is fresh each epoch.
    func validate(task: TaskName) throws {
        for (key, source) in [("train", train), ("valid", valid)]
            + (test.map { [("test", $0)] } ?? [])
        {
            guard case .generated(let settings) = source else { continue }
            do {
                _ = try TaskGenerator(task: task, lengths: settings.lengths, maxValue: maxValue)
            } catch let error as TaskSettingsError {
                throw ConfigError(key: "data.\(key).length", detail: "\(error)")
            }
            if settings.freshEachEpoch && key != "train" {
                throw ConfigError(
                    key: "data.\(key).freshEachEpoch", detail: "is only for the training set")
            }
        }
    }
}

extension TaskDataConfig: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case train, valid, test, maxValue
    }

    /// Decodes strictly: unknown keys are errors; `train` and `valid` are required.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        for key in [Keys.train, .valid] where !container.contains(key) {
            throw ConfigError(key: "data.\(key.stringValue)", detail: "required")
        }
        train = try container.decode(TaskDataSource.self, forKey: .train)
        valid = try container.decode(TaskDataSource.self, forKey: .valid)
        test = try container.decodeIfPresent(TaskDataSource.self, forKey: .test)
        maxValue = try container.decode(forKey: .maxValue, default: nil)
    }
}
