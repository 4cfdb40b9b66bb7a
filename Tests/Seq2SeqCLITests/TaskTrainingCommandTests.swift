import Foundation
import SeqTesting
import Testing

/// `seq2seq task train` and `seq2seq task evaluate` run as processes on a tiny sorting run.
@Suite struct TaskTrainingCommandTests {
    private static let config = """
        task: sort
        seed: 3
        data:
          train: {count: 256, length: "3..4", seed: 100, freshEachEpoch: true}
          valid: {count: 64, length: "3..4", seed: 2}
          test: {file: test.txt}
        model: {hiddenSize: 16, constraint: permutation}
        training: {batchSize: 32, learningRate: 0.01, warmupSteps: 5, schedule: constant,
                   optimizer: adam, maxSteps: 40, evaluateEvery: 20, logEvery: 10}
        evaluation: {beam: 1, testBeam: 2}
        """

    /// Writes the config and a 50-example test file into `files`; returns the config path.
    private func prepare(_ files: TemporaryFiles, config: String = config) throws -> String {
        let generate = try runCLI([
            "task", "generate", "sort", "--count", "50", "--length", "3..4", "--seed", "9",
            "--output", files.path("test.txt"),
        ])
        try #require(generate.status == 0, "\(generate.standardError)")
        return try files.write("sort.yaml", config)
    }

    private func evaluate(_ model: String, _ data: String, _ extra: [String] = []) throws
        -> (report: TaskCommandTests.Report, output: String)
    {
        let run = try runCLI(
            ["task", "evaluate", "--model", model, "--data", data, "--json"] + extra)
        try #require(run.status == 0, "\(run.standardError)")
        return (try TaskCommandTests.Report.decode(run.standardOutput), run.standardOutput)
    }

    @Test func trainsSavesAndEvaluatesThroughTheCLI() throws {
        let files = try TemporaryFiles()
        let config = try prepare(files)
        let output = files.path("run")
        let train = try runCLI(["task", "train", config, "--output", output])
        try #require(train.status == 0, "\(train.standardError)")
        #expect(train.standardError.contains("reached maxSteps after 40 steps, 1280 examples"))
        #expect(train.standardError.contains("test (best/, beam 2)"))
        let manager = FileManager.default
        for name in ["best/model.safetensors", "best/task.json", "last/trainer.json", "test.json"] {
            #expect(manager.fileExists(atPath: output + "/" + name), "\(name)")
        }

        // The log has falling training loss and two evaluations with the task metrics.
        let records = try String(contentsOfFile: output + "/log.jsonl", encoding: .utf8)
            .split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        let losses = records.filter { $0["event"] as? String == "train" }
            .compactMap { $0["loss"] as? Double }
        try #require(losses.count == 4)
        #expect(losses[3] < losses[0])
        let evaluations = records.filter { $0["event"] as? String == "eval" }
        #expect(evaluations.count == 2)
        #expect(evaluations.allSatisfy { $0["valid_rate"] as? Double == 1 })

        // The run directory, its best/ model and the test.json of training agree.
        let test = files.path("test.txt")
        let (viaRun, runText) = try evaluate(output, test, ["--beam", "2"])
        let (viaBest, bestText) = try evaluate(output + "/best", test, ["--beam", "2"])
        #expect(runText == bestText)
        #expect(viaBest.count == 50 && viaBest.validRate == 1 && viaBest.sortedRate != nil)
        #expect(viaBest.byLength.map(\.length) == [3, 4])
        let stored =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: output + "/test.json")))
            as? [String: Any]
        #expect(stored?["exact_accuracy"] as? Double == viaRun.exactAccuracy)

        // Greedy, last/ and an unconstrained decoding all run; the constraint keeps tours valid.
        _ = try evaluate(output + "/last", test)
        let predictions = files.path("predicted.txt")
        _ = try evaluate(output, test, ["--constraint", "none", "--predictions", predictions])
        let lines = try String(contentsOfFile: predictions, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 50)

        // A finished run resumes to nothing.
        let resumed = try runCLI(["task", "train", config, "--output", output, "--resume"])
        #expect(resumed.status == 0)
        #expect(resumed.standardError.contains("has already finished"))
    }

    @Test func badConfigsAndArgumentsFailWithTheKeyOrOption() throws {
        let files = try TemporaryFiles()
        let config = try prepare(
            files, config: Self.config.replacingOccurrences(of: "hiddenSize", with: "hidenSize"))
        let train = try runCLI(["task", "train", config, "--output", files.path("run")])
        #expect(train.status != 0)
        #expect(train.standardError.contains("`model.hidenSize` is not a known key"))

        let missing = try runCLI([
            "task", "evaluate", "--model", files.path("nothing"), "--data", files.path("test.txt"),
        ])
        #expect(missing.status != 0 && missing.standardError.contains("task.json"))
        let beam = try runCLI([
            "task", "evaluate", "--model", files.path("run"), "--data", files.path("test.txt"),
            "--beam", "0",
        ])
        #expect(beam.status != 0 && beam.standardError.contains("--beam"))
        let constraint = try runCLI([
            "task", "evaluate", "--model", files.path("run"), "--data", files.path("test.txt"),
            "--constraint", "tour",
        ])
        #expect(constraint.status != 0 && constraint.standardError.contains("--constraint"))
    }

    /// A run killed after a checkpoint and resumed ends with exactly the weights of an
    /// uninterrupted run (fresh examples every epoch, orders sampled from the model), and its
    /// log has no gap or duplicate step.
    @Test func killedRunResumesExactly() throws {
        let config = """
            task: sort
            data:
              train: {count: 100, length: "3..5", seed: 100, freshEachEpoch: true}
              valid: {count: 20, length: 4, seed: 2}
            model: {hiddenSize: 8, glimpseCount: 1}
            training: {batchSize: 32, learningRate: 0.01, warmupSteps: 5, maxSteps: 40,
                       evaluateEvery: 10, logEvery: 5}
            setOrder: {warmupSteps: 15}
            """
        let files = try TemporaryFiles()
        let path = try files.write("sort.yaml", config)
        let (straight, killed) = (files.path("straight"), files.path("killed"))
        let run = try runCLI(["task", "train", path, "--output", straight])
        try #require(run.status == 0, "\(run.standardError)")

        let process = try startCLI(["task", "train", path, "--output", killed])
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: killed + "/log.jsonl", encoding: .utf8)) ?? ""
            // `last/` is complete once its checkpoint record is logged.
            if text.contains("\"event\":\"checkpoint\",\"step\":20") { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run ended before the kill")
        let resumed = try runCLI(["task", "train", path, "--output", killed, "--resume"])
        try #require(resumed.status == 0, "\(resumed.standardError)")

        let expected = try Data(
            contentsOf: URL(fileURLWithPath: straight + "/last/model.safetensors"))
        let actual = try Data(contentsOf: URL(fileURLWithPath: killed + "/last/model.safetensors"))
        #expect(expected == actual, "the resumed run's weights differ from the uninterrupted run's")
        let steps = try String(contentsOfFile: killed + "/log.jsonl", encoding: .utf8)
            .split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            .filter { $0["event"] as? String == "train" }.compactMap { $0["step"] as? Int }
        #expect(steps == Array(stride(from: 5, through: 40, by: 5)))
    }

    /// Ctrl-C saves `last/` at the current step, logs the interruption and exits cleanly.
    @Test func interruptSavesACheckpointAndExitsCleanly() throws {
        let files = try TemporaryFiles()
        let path = try files.write(
            "sort.yaml",
            Self.config.replacingOccurrences(of: "maxSteps: 40", with: "maxSteps: 1000000")
                .replacingOccurrences(of: "  test: {file: test.txt}\n", with: ""))
        let output = files.path("run")
        let process = try startCLI(["task", "train", path, "--output", output])
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline,
            !((try? String(contentsOfFile: output + "/log.jsonl", encoding: .utf8)) ?? "")
                .contains("\"step\":10")
        {
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        let records = try String(contentsOfFile: output + "/log.jsonl", encoding: .utf8)
            .split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        let interrupted = try #require(records.last)
        #expect(interrupted["event"] as? String == "interrupted")
        let step = try #require(interrupted["step"] as? Int)
        #expect(step >= 10)
        let trainer = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: output + "/last/trainer.json")))
        #expect((trainer as? [String: Any])?["step"] as? Int == step)
        #expect(!FileManager.default.fileExists(atPath: output + "/test.json"))
    }
}
