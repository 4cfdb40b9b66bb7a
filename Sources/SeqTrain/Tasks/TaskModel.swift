import Foundation
import SeqDecode
import SeqModels
import SeqNN
import SeqTensor
import SeqText

/// A pointer network trained on an algorithmic task, with what it needs to read the task's
/// inputs: a model directory written by `seq2seq task train` (`best/`) or its last
/// checkpoint (`last/`).
///
/// ```swift
/// let model = try TaskModel.load(from: URL(fileURLWithPath: "runs/hull-10/best"))
/// let hulls = model.predict(examples, settings: TaskEvaluationConfig(beam: 4))
/// ```
public struct TaskModel {
    /// The network.
    public let network: PointerNetwork
    /// The task and how its inputs are scaled.
    public let info: TaskModelInfo

    /// Pairs a network with its task.
    ///
    /// - Precondition: `network`'s element size is `info.elementSize`.
    public init(network: PointerNetwork, info: TaskModelInfo) {
        precondition(
            network.config.elementSize == info.elementSize,
            "TaskModel: the network reads elements of \(network.config.elementSize) values, \(info.task.rawValue) has \(info.elementSize)"
        )
        self.network = network
        self.info = info
    }

    /// The examples' inputs as a batch, each value multiplied by `info.inputScale`; with
    /// `info.hintChannel`, each element ends with 1 for the examples `hints` marks and 0 for
    /// the others (all 0 when `hints` is `nil`).
    public func batch(_ examples: [TaskExample], hints: [Bool]? = nil) -> PointerBatch {
        precondition(
            hints.map { $0.count == examples.count } ?? true,
            "TaskModel.batch: \(hints?.count ?? 0) hint flags for \(examples.count) examples")
        let (scale, size) = (info.inputScale, info.task.elementSize)
        return PointerBatch(
            inputs: examples.indices.map { index in
                let values = examples[index].inputs
                let scaled = scale == 1 ? values : values.map { $0 * scale }
                guard info.hintChannel else { return scaled }
                let flag: Float = hints?[index] == true ? 1 : 0
                return stride(from: 0, to: scaled.count, by: size).flatMap {
                    scaled[$0..<($0 + size)] + [flag]
                }
            }, elementSize: info.elementSize)
    }

    /// The mean teacher-forced negative log-likelihood per predicted slot (each target
    /// position and each end) over `examples`, in batches of `batchSize`.
    public func loss(_ examples: [TaskExample], batchSize: Int) -> Double {
        precondition(batchSize >= 1, "TaskModel.loss: batchSize \(batchSize) is below 1")
        var total = 0.0
        var slots = 0
        withoutGradients {
            for start in stride(from: 0, to: examples.count, by: batchSize) {
                let chunk = Array(examples[start..<min(start + batchSize, examples.count)])
                let sum = network.loss(
                    batch(chunk), targets: chunk.map(\.target), reduction: .sum)
                total += Double(sum.scalar)
                slots += chunk.reduce(0) { $0 + $1.target.count + 1 }
            }
        }
        return total / Double(max(1, slots))
    }

    /// The decoded outputs (input positions, without the end) of `examples`, in order.
    ///
    /// Examples are decoded `settings.batchSize` at a time, in order of length, greedily when
    /// `beam` is 1 and by beam search (`settings.lengthPenalty`) otherwise, under
    /// `settings.constraint` or the network's own.
    ///
    /// - Parameters:
    ///   - examples: The inputs (their targets are not used).
    ///   - settings: Batch size, length penalty, constraint and default beam.
    ///   - beam: The beam size, or `nil` for `settings.beam`.
    /// - Returns: One list of 0-based input positions per example.
    public func predict(
        _ examples: [TaskExample], settings: TaskEvaluationConfig, beam: Int? = nil
    ) -> [[Int]] {
        let beamSize = beam ?? settings.beam
        precondition(beamSize >= 1, "TaskModel.predict: beam \(beamSize) is below 1")
        let order = examples.indices.sorted {
            examples[$0].inputs.count < examples[$1].inputs.count
        }
        var outputs = [[Int]](repeating: [], count: examples.count)
        for start in stride(from: 0, to: order.count, by: settings.batchSize) {
            let indices = Array(order[start..<min(start + settings.batchSize, order.count)])
            let decoder = PointerSearchDecoder(
                model: network, batch: batch(indices.map { examples[$0] }),
                constraint: settings.constraint)
            let length = LengthLimit(
                maxNewTokens: info.task == .delaunay
                    ? 6 * decoder.maxNewTokens : decoder.maxNewTokens)
            let results =
                beamSize == 1
                ? GreedySearch(length: length).search(decoder, sources: decoder.sources)
                : BeamSearch(
                    beamSize: beamSize, lengthPenalty: settings.lengthPenalty, length: length
                ).search(decoder, sources: decoder.sources)
            for (index, result) in zip(indices, results) {
                outputs[index] = PointerSearchDecoder.positions(of: result.best.tokens)
            }
        }
        return outputs
    }
}

extension TaskModel {
    /// Reads the model in `directory`: a model directory (`best/`), a checkpoint (`last/`),
    /// or a run directory, whose `best/` is read.
    ///
    /// - Throws: `CheckpointError` naming the file, or `TrainingError` when `task.json` is
    ///   missing or invalid.
    public static func load(from directory: URL) throws -> TaskModel {
        let manager = FileManager.default
        var directory = directory
        let best = directory.appendingPathComponent("best")
        if !manager.fileExists(
            atPath: directory.appendingPathComponent(TaskModelInfo.fileName).path),
            manager.fileExists(atPath: best.path)
        {
            directory = best
        }
        let infoURL = directory.appendingPathComponent(TaskModelInfo.fileName)
        let info: TaskModelInfo
        do {
            info = try JSONDecoder().decode(TaskModelInfo.self, from: Data(contentsOf: infoURL))
        } catch {
            throw TrainingError(
                file: infoURL.path,
                detail: "missing or invalid; not a model written by `seq2seq task train` (\(error))"
            )
        }
        let network: PointerNetwork
        if manager.fileExists(atPath: directory.appendingPathComponent(Checkpoint.trainerFile).path)
        {
            let checkpoint = try Checkpoint.read(from: directory)
            var generator = SeededGenerator(seed: 0)
            network = PointerNetwork(
                config: try checkpoint.decodedConfig(as: PointerNetworkConfig.self),
                using: &generator)
            try checkpoint.restore(network)
        } else {
            network = try PointerNetwork.load(from: directory)
        }
        guard network.config.elementSize == info.elementSize else {
            throw TrainingError(
                file: infoURL.path,
                detail:
                    "task \(info.task.rawValue) has elements of \(info.elementSize) values, the model reads \(network.config.elementSize)"
            )
        }
        return TaskModel(network: network, info: info)
    }
}

/// The task a model was trained on and how its inputs are scaled: `task.json` in its
/// directories, `{"task": "sort-integers", "inputScale": 0.01, "hintChannel": false}`.
public struct TaskModelInfo: Codable, Sendable, Equatable {
    /// The file name inside a model or checkpoint directory.
    public static let fileName = "task.json"

    /// The task.
    public var task: TaskName
    /// The factor applied to every input value before the network sees it: `1 / maxValue`
    /// for integer inputs, 1 otherwise.
    public var inputScale: Float
    /// Whether each element carries one more value, the task flag.
    ///
    /// The flag is 0 for the main task and 1 for the hint (see `TaskHint`); a file without
    /// the key means `false`.
    public var hintChannel: Bool

    /// The number of values per element the network reads: the task's, plus one with
    /// `hintChannel`.
    public var elementSize: Int { task.elementSize + (hintChannel ? 1 : 0) }

    /// Creates the description.
    public init(task: TaskName, inputScale: Float, hintChannel: Bool = false) {
        self.task = task
        self.inputScale = inputScale
        self.hintChannel = hintChannel
    }

    /// The description for `task`, scaling integer inputs by `1 / maxValue`
    /// (`task.defaultMaxValue` when `nil`).
    public init(task: TaskName, maxValue: Int?, hintChannel: Bool = false) {
        self.task = task
        inputScale = task.hasIntegerInputs ? 1 / Float(maxValue ?? task.defaultMaxValue) : 1
        self.hintChannel = hintChannel
    }

    private enum CodingKeys: String, CodingKey {
        case task, inputScale, hintChannel
    }

    /// Decodes `task` and `inputScale`, and `hintChannel` when present.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        task = try container.decode(TaskName.self, forKey: .task)
        inputScale = try container.decode(Float.self, forKey: .inputScale)
        hintChannel = try container.decodeIfPresent(Bool.self, forKey: .hintChannel) ?? false
    }
}
