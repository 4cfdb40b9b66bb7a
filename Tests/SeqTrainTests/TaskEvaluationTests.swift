import Foundation
import SeqMetrics
import SeqModels
import SeqTensor
import SeqText
import Testing

@testable import SeqTrain

/// Task scoring of fixed outputs, and decoding of a fixed (seeded, untrained) model.
@Suite struct TaskEvaluationTests {
    @Test func sortingScoresFixedPredictions() {
        let examples = [
            TaskExample(inputs: [0.3, 0.1, 0.2], target: [1, 2, 0]),
            TaskExample(inputs: [0.5, 0.4], target: [1, 0]),
            TaskExample(inputs: [0.9, 0.8, 0.7, 0.6], target: [3, 2, 1, 0]),
        ]
        // Exact; a valid but unsorted permutation; a repeat (invalid).
        let score = TaskScore.score(
            .sort, predictions: [[1, 2, 0], [0, 1], [3, 2, 2, 0]], examples: examples)
        #expect(score.count == 3)
        #expect(score.exactAccuracy == 1.0 / 3)
        #expect(score.tokenAccuracy == 6.0 / 9)
        #expect(score.validRate == 2.0 / 3 && score.sortedRate == 1.0 / 3)
        #expect(score.byLength.map(\.length) == [2, 3, 4])
        #expect(score.byLength.map(\.exactAccuracy) == [0, 1, 0])
        #expect(score.selectionValue(for: .sort) == 1.0 / 3)
        #expect(score.summary.hasPrefix("exact 33.33%, token 66.67%, valid 66.67%, sorted 33.33%"))
    }

    @Test func hullAndTourScoresFixedPredictions() throws {
        // The unit square with its centre: hull 0 1 2 3 counter-clockwise.
        let square: [Float] = [0, 0, 1, 0, 1, 1, 0, 1, 0.5, 0.5]
        let hull = TaskExample(inputs: square, target: [0, 1, 2, 3])
        let hullScore = TaskScore.score(
            .convexHull, predictions: [[0, 1, 2]], examples: [hull])
        #expect(hullScore.exactAccuracy == 0 && hullScore.validRate == 1)
        #expect(hullScore.areaCoverage == 0.5)
        let corners: [Float] = [0, 0, 1, 0, 1, 1, 0, 1]
        let tour = TaskExample(inputs: corners, target: [0, 1, 2, 3])
        let tourScore = TaskScore.score(
            .tsp, predictions: [[0, 2, 1, 3]], examples: [tour])
        #expect(tourScore.validRate == 1 && tourScore.meanReferenceTourLength == 4)
        let crossed = 2 + 2 * 2.0.squareRoot()
        #expect(abs((tourScore.meanTourLength ?? 0) - crossed) < 1e-9)
        let ratio = try #require(tourScore.tourLengthRatio)
        #expect(abs(tourScore.selectionValue(for: .tsp) + ratio) < 1e-12)
        let invalid = TaskScore.score(.tsp, predictions: [[0, 1]], examples: [tour])
        #expect(invalid.selectionValue(for: .tsp) == -2)
        let fields = tourScore.logFields()
        #expect(fields["valid_rate"] as? Double == 1)
        #expect((fields["by_length"] as? [[String: Any]])?.first?["length"] as? Int == 4)
    }

    private func model(
        _ task: TaskName, constraint: PointerConstraint, maxValue: Int? = nil
    ) -> TaskModel {
        var config = PointerNetworkConfig()
        config.elementSize = task.elementSize
        config.hiddenSize = 8
        config.glimpseCount = 1
        config.constraint = constraint
        var generator = SeededGenerator(seed: 4)
        return TaskModel(
            network: PointerNetwork(config: config, using: &generator),
            info: TaskModelInfo(task: task, maxValue: maxValue))
    }

    private func examples(_ task: TaskName, count: Int) throws -> [TaskExample] {
        try TaskGenerator(task: task, lengths: 3...7).examples(count: count, seed: 1)
    }

    @Test func constrainedDecodingOfAFixedModelGivesValidOutputs() throws {
        let tsp = try examples(.tsp, count: 12)
        let tours = model(.tsp, constraint: .permutation)
        for beam in [1, 3] {
            let predicted = tours.predict(tsp, settings: TaskEvaluationConfig(), beam: beam)
            #expect(TaskScore.score(.tsp, predictions: predicted, examples: tsp).validRate == 1)
        }
        let points = try examples(.convexHull, count: 12)
        let predicted = model(.convexHull, constraint: .noRepeats).predict(
            points, settings: TaskEvaluationConfig(beam: 2))
        #expect(predicted.allSatisfy { Set($0).count == $0.count })
    }

    @Test func decodingDoesNotDependOnBatching() throws {
        let data = try examples(.sort, count: 9)
        let sorter = model(.sort, constraint: .permutation)
        for beam in [1, 2] {
            let together = sorter.predict(data, settings: TaskEvaluationConfig(beam: beam))
            let alone = sorter.predict(
                data, settings: TaskEvaluationConfig(beam: beam, batchSize: 1))
            #expect(together == alone)
        }
    }

    @Test func integerInputsAreScaledAndTheLossAveragesSlots() throws {
        let data = try TaskGenerator(task: .sortIntegers, lengths: 2...5, maxValue: 50)
            .examples(count: 6, seed: 2)
        let sorter = model(.sortIntegers, constraint: .permutation, maxValue: 50)
        #expect(sorter.info.inputScale == 0.02)
        let batch = sorter.batch(data)
        #expect(batch.lengths == data.map(\.inputs.count))
        #expect(batch.elements.scalars[0] == data[0].inputs[0] * 0.02)
        let direct = sorter.network.loss(batch, targets: data.map(\.target)).scalar
        #expect(abs(sorter.loss(data, batchSize: 4) - Double(direct)) < 1e-5)
    }

    @Test func savedModelsLoadWithTheirTask() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("task-model-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sorter = model(.sortIntegers, constraint: .permutation, maxValue: 10)
        let info = try JSONEncoder().encode(sorter.info)
        try sorter.network.save(to: directory, extraFiles: [TaskModelInfo.fileName: info])
        let loaded = try TaskModel.load(from: directory)
        #expect(loaded.info == sorter.info)
        let data = try TaskGenerator(task: .sortIntegers, lengths: 4...4, maxValue: 10)
            .examples(count: 5, seed: 3)
        #expect(
            loaded.predict(data, settings: TaskEvaluationConfig())
                == sorter.predict(data, settings: TaskEvaluationConfig()))
        try FileManager.default.removeItem(
            at: directory.appendingPathComponent(TaskModelInfo.fileName))
        #expect(throws: TrainingError.self) { try TaskModel.load(from: directory) }
    }

    @Test func successorHintPointsEachElementAtTheNextInSortedOrder() throws {
        // Values 3 1 3 2: stable sorted order 1 3 0 2, so succ(1) = 3, succ(3) = 0,
        // succ(0) = 2 and the last, 2, is its own successor.
        let example = TaskExample(inputs: [3, 1, 3, 2], target: [1, 3, 0, 2])
        #expect(TaskHint.successorTarget(of: example) == [0, 2, 1, 3, 2, 2, 3, 0])
        let sorter = TaskModel(
            network: {
                var config = PointerNetworkConfig()
                config.elementSize = 2
                config.hiddenSize = 4
                var generator = SeededGenerator(seed: 1)
                return PointerNetwork(config: config, using: &generator)
            }(),
            info: TaskModelInfo(task: .sortIntegers, maxValue: 4, hintChannel: true))
        let batch = sorter.batch([example, example], hints: [false, true])
        #expect(batch.elementSize == 2)
        #expect(
            batch.elements.scalars
                == [0.75, 0, 0.25, 0, 0.75, 0, 0.5, 0, 0.75, 1, 0.25, 1, 0.75, 1, 0.5, 1])
        #expect(
            sorter.batch([example]).elements.scalars.enumerated().allSatisfy {
                !$0.offset.isMultiple(of: 2) ? $0.element == 0 : true
            })
        let old = try JSONDecoder().decode(
            TaskModelInfo.self, from: Data(#"{"task": "sort", "inputScale": 1}"#.utf8))
        #expect(old == TaskModelInfo(task: .sort, inputScale: 1) && old.elementSize == 1)
    }
}
