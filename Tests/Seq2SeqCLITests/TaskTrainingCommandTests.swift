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
}
