import Foundation
import SeqModels
import SeqText
import Testing

@testable import SeqTrain

@Suite struct TaskTrainConfigTests {
    private let base = URL(fileURLWithPath: "/configs")

    private func parse(_ yaml: String) throws -> TaskTrainConfig {
        try TaskTrainConfig.parse(yaml: yaml, file: "task.yaml", baseDirectory: base)
    }

    private func message(_ yaml: String) -> String {
        do {
            _ = try parse(yaml)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    private let minimal = """
        task: sort
        data:
          train: {count: 1000, length: 5, seed: 10, freshEachEpoch: true}
          valid: {file: valid.txt}
        training: {batchSize: 32, maxSteps: 10}
        """

    @Test func minimalConfigTakesDefaults() throws {
        let config = try parse(minimal)
        #expect(config.task == .sort)
        #expect(config.seed == 1)
        #expect(config.model.elementSize == 1)
        #expect(config.model.hiddenSize == 256)
        #expect(config.training.batchSize == 32)
        #expect(config.training.labelSmoothing == 0)
        #expect(config.training.optimizer == .adamw)
        #expect(config.training.schedule == .inverseSqrt)
        #expect(config.evaluation == TaskEvaluationConfig())
        #expect(config.setOrder == nil)
        #expect(
            config.data.train
                == .generated(
                    GeneratedTaskData(count: 1000, lengths: 5...5, seed: 10, freshEachEpoch: true)))
        #expect(config.data.valid == .file(URL(fileURLWithPath: "valid.txt", relativeTo: base)))
        #expect(config.data.test == nil)
    }

    @Test func everySectionIsRead() throws {
        let config = try parse(
            """
            task: convex-hull
            seed: 7
            data:
              train: {file: /data/train.txt}
              valid: {count: 100, length: "5..10", seed: 2}
              test: {count: 200, length: 10, seed: 3}
            model: {hiddenSize: 64, glimpseCount: 1, constraint: noRepeats}
            training: {batchSize: 16, optimizer: adam, schedule: constant, maxMinutes: 2,
                       evaluateEvery: 50, patience: 3}
            evaluation: {beam: 2, testBeam: 5, lengthPenalty: 0.5, batchSize: 8,
                         maxExamples: 50, constraint: permutation}
            setOrder: {warmupSteps: 20, choice: mostProbable}
            """)
        #expect(config.seed == 7 && config.task == .convexHull)
        #expect(config.data.train == .file(URL(fileURLWithPath: "/data/train.txt")))
        #expect(
            config.data.valid
                == .generated(GeneratedTaskData(count: 100, lengths: 5...10, seed: 2)))
        #expect(config.model.elementSize == 2 && config.model.hiddenSize == 64)
        #expect(config.model.glimpseCount == 1 && config.model.constraint == .noRepeats)
        #expect(config.training.optimizer == .adam && config.training.schedule == .constant)
        #expect(config.training.patience == 3 && config.training.maxMinutes == 2)
        #expect(
            config.evaluation
                == TaskEvaluationConfig(
                    beam: 2, testBeam: 5, lengthPenalty: 0.5, batchSize: 8, maxExamples: 50,
                    constraint: .permutation))
        #expect(config.setOrder == SetOrderTraining(warmupSteps: 20, choice: .mostProbable))
    }

    @Test func unknownKeysAreNamedWithTheirPath() {
        #expect(message(minimal + "\nlearningRate: 3\n").contains("`learningRate`"))
        #expect(
            message(minimal.replacingOccurrences(of: "freshEachEpoch", with: "fresh"))
                .contains("`data.train.fresh`"))
        #expect(
            message(minimal + "\nmodel: {hiddenSize: 8, glimpses: 1}\n").contains(
                "`model.glimpses`"))
        #expect(message(minimal + "\nevaluation: {beams: 2}\n").contains("`evaluation.beams`"))
    }

    @Test func requiredKeysAreNamed() {
        #expect(message("data: {}\ntraining: {batchSize: 1}").contains("`task` required"))
        #expect(
            message(minimal.replacingOccurrences(of: "batchSize: 32, ", with: ""))
                .contains("`training.batchSize` required"))
        #expect(
            message(minimal.replacingOccurrences(of: "seed: 10, ", with: ""))
                .contains("`data.train.seed` required"))
        #expect(
            message(minimal.replacingOccurrences(of: "  valid: {file: valid.txt}\n", with: ""))
                .contains("`data.valid` required"))
    }

    @Test func contradictionsAreErrorsNamingTheKey() {
        #expect(
            message(minimal.replacingOccurrences(of: "task: sort", with: "task: sorting"))
                .contains("`task` 'sorting' is not a task"))
        #expect(
            message(minimal.replacingOccurrences(of: "task: sort", with: "task: copy"))
                .contains("`task` = copy has token targets"))
        #expect(message(minimal + "\nmodel: {elementSize: 2}\n").contains("`model.elementSize`"))
        #expect(
            message(minimal + "\nmodel: {processSteps: 2}\n").contains("`model.processSteps`"))
        for key in ["labelSmoothing: 0.1", "maxTokens: 100", "averageLast: 2"] {
            let name = String(key.prefix { $0 != ":" })
            #expect(
                message(
                    minimal.replacingOccurrences(of: "maxSteps: 10", with: "maxSteps: 10, \(key)")
                )
                .contains("`training.\(name)` is for translation"))
        }
        #expect(
            message(
                minimal.replacingOccurrences(of: "file: valid.txt", with: "file: v.txt, seed: 2")
            )
            .contains("`data.valid.seed` cannot be combined with `file`"))
        #expect(
            message(
                minimal.replacingOccurrences(
                    of: "{file: valid.txt}",
                    with: "{count: 5, length: 3, seed: 2, freshEachEpoch: true}"
                )
            ).contains("`data.valid.freshEachEpoch` is only for the training set"))
        #expect(
            message(minimal.replacingOccurrences(of: "length: 5,", with: "length: \"7..3\","))
                .contains("`data.train.length`"))
        #expect(
            message(
                minimal.replacingOccurrences(of: "task: sort", with: "task: convex-hull")
                    .replacingOccurrences(of: "length: 5,", with: "length: 2,")
            ).contains("`data.train.length`"))
        #expect(message(minimal + "\nevaluation: {beam: 0}\n").contains("`evaluation.beam`"))
        #expect(
            message(
                minimal
                    + "\nsetOrder: {warmupSteps: 1}\nmodel: {constraint: permutation, maskedTraining: true}\n"
            )
            .contains("`setOrder`"))
    }

    @Test func hintAddsTheTaskFlagToTheElements() throws {
        let config = try parse(
            minimal.replacingOccurrences(of: "task: sort", with: "task: sort-integers")
                + "\nhint: {fraction: 0.25}\n")
        #expect(config.hint == TaskHint(fraction: 0.25) && config.model.elementSize == 2)
        #expect(message(minimal + "\nhint: {fraction: 1}\n").contains("`hint.fraction`"))
        #expect(message(minimal + "\nhint: {share: 1}\n").contains("`hint.share`"))
        #expect(
            message(minimal + "\nhint: {}\nmodel: {elementSize: 1}\n").contains(
                "`model.elementSize` = 1, but sort has 2 with `hint`"))
        #expect(
            message(
                minimal.replacingOccurrences(of: "task: sort", with: "task: tsp")
                    + "\nhint: {}\n"
            ).contains("`hint` the successor hint is for sorting"))
    }

    @Test func translationConfigsRejectTaskBatching() {
        let yaml = """
            data:
              train: {source: a.de, target: a.en}
              valid: {source: b.de, target: b.en}
            training: {maxSteps: 1, batchSize: 8}
            """
        do {
            _ = try TrainConfig.parse(yaml: yaml, file: "t.yaml", baseDirectory: base)
            Issue.record("a translation config with batchSize parsed")
        } catch {
            #expect("\(error)".contains("`training.batchSize` is for task training"))
        }
    }

    @Test func schedulesWarmUpThenFollowTheirKind() throws {
        var settings = try parse(minimal).training
        settings.learningRate = 0.01
        settings.warmupSteps = 4
        settings.schedule = .constant
        let constant = settings.makeSchedule()
        #expect(constant.learningRate(at: 2) == 0.005)
        #expect(constant.learningRate(at: 4) == 0.01 && constant.learningRate(at: 400) == 0.01)
        settings.schedule = .inverseSqrt
        let decaying = settings.makeSchedule()
        #expect(decaying.learningRate(at: 2) == 0.005)
        #expect(abs(decaying.learningRate(at: 16) - 0.005) < 1e-7)
        settings.schedule = .cosine
        settings.maxSteps = 12
        let cosine = settings.makeSchedule()
        #expect(cosine.learningRate(at: 2) == 0.005 && cosine.learningRate(at: 4) == 0.01)
        #expect(abs(cosine.learningRate(at: 8) - 0.005) < 1e-7)
        #expect(cosine.learningRate(at: 12) == 0 && cosine.learningRate(at: 20) == 0)
    }

    @Test func cosineScheduleNeedsMaxStepsBeyondWarmUp() throws {
        var settings = try parse(minimal).training
        settings.schedule = .cosine
        settings.warmupSteps = 100
        settings.maxSteps = nil
        settings.maxMinutes = 5
        #expect(throws: ConfigError.self) { try settings.validate() }
        settings.maxSteps = 100
        #expect(throws: ConfigError.self) { try settings.validate() }
        settings.maxSteps = 101
        try settings.validate()
    }

    @Test func freshEpochsUseDistinctSeeds() {
        let settings = GeneratedTaskData(count: 1, lengths: 3...3, seed: 5, freshEachEpoch: true)
        #expect(settings.seed(epoch: 0) == 5)
        #expect(Set((0..<100).map(settings.seed(epoch:))).count == 100)
        #expect(!(0..<1000).map(settings.seed(epoch:)).dropFirst().contains { $0 < 1_000_000 })
    }

    /// Every task config the repository ships (`configs/**/*.yaml` naming a `task`) loads.
    @Test func shippedTaskConfigsLoad() throws {
        let configs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("configs")
        let manager = FileManager.default
        let files = try #require(manager.enumerator(atPath: configs.path))
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") }
        var loaded = 0
        for file in files {
            let url = configs.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            guard text.contains("\ntask: ") else { continue }
            let config = try TaskTrainConfig.load(contentsOf: url)
            #expect(config.training.maxSteps != nil || config.training.maxMinutes != nil, "\(file)")
            loaded += 1
        }
        #expect(loaded >= 20)
    }
}
