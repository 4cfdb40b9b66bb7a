import Foundation
import SeqTesting
import Testing

/// `train`, `translate` and `evaluate` run for real on a tiny synthetic task (reverse three
/// to five words), with a tiny model, in a temporary directory.
@Suite(.serialized) struct TrainingCommandTests {
    private static let words = [
        "rot", "blau", "grün", "gelb", "haus", "baum", "hund", "katze", "auto", "boot",
    ]

    /// Writes `count` source/target pairs (the target reverses the source) and a config.
    private static func makeRun(
        steps: Int, evaluateEvery: Int = 10, extra: String = ""
    ) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("seq2seq-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var state: UInt64 = 7
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        func pairs(_ count: Int) -> (String, String) {
            var sources: [String] = []
            var targets: [String] = []
            for _ in 0..<count {
                let sentence = (0..<(3 + next() % 3)).map { _ in words[next() % words.count] }
                sources.append(sentence.joined(separator: " "))
                targets.append(sentence.reversed().joined(separator: " "))
            }
            return (sources.joined(separator: "\n") + "\n", targets.joined(separator: "\n") + "\n")
        }
        let (trainSource, trainTarget) = pairs(400)
        let (validSource, validTarget) = pairs(20)
        try trainSource.write(
            to: directory.appendingPathComponent("train.src"), atomically: true, encoding: .utf8)
        try trainTarget.write(
            to: directory.appendingPathComponent("train.tgt"), atomically: true, encoding: .utf8)
        try validSource.write(
            to: directory.appendingPathComponent("valid.src"), atomically: true, encoding: .utf8)
        try validTarget.write(
            to: directory.appendingPathComponent("valid.tgt"), atomically: true, encoding: .utf8)
        let config = """
            seed: 3
            data:
              train: {source: train.src, target: train.tgt}
              valid: {source: valid.src, target: valid.tgt}
            tokenizer: {vocabularySize: 30, userDefinedSymbols: []}
            model:
              modelSize: 32
              headCount: 2
              feedForwardSize: 64
              encoderLayerCount: 1
              decoderLayerCount: 1
            training:
              maxTokens: 256
              learningRate: 0.003
              warmupSteps: 10
              maxSteps: \(steps)
              evaluateEvery: \(evaluateEvery)
              logEvery: 5
            \(extra)
            """
        try config.write(
            to: directory.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    private static func logRecords(_ directory: URL) throws -> [[String: Any]] {
        let text = try String(
            contentsOf: directory.appendingPathComponent("out/log.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func trainTranslateAndEvaluate() throws {
        let run = try Self.makeRun(steps: 30)
        defer { try? FileManager.default.removeItem(at: run) }
        let output = run.appendingPathComponent("out").path
        let train = try runCLI([
            "train", run.appendingPathComponent("config.yaml").path, "--output", output,
        ])
        #expect(train.status == 0, "stderr: \(train.standardError)")
        for directory in ["best", "last"] {
            for file in ["config.json", "model.safetensors", "tokenizer.model"] {
                #expect(
                    FileManager.default.fileExists(atPath: "\(output)/\(directory)/\(file)"),
                    "missing \(directory)/\(file)")
            }
        }
        let records = try Self.logRecords(run)
        let evaluations = records.filter { $0["event"] as? String == "eval" }
        #expect(evaluations.compactMap { $0["step"] as? Int } == [10, 20, 30])
        #expect(evaluations.allSatisfy { $0["bleu"] is Double && $0["valid_loss"] is Double })
        #expect(records.filter { $0["event"] as? String == "train" }.count == 6)

        let translate = try runCLI(
            ["translate", "--model", "\(output)/best", "--beam", "2"],
            input: "rot blau haus\n\nhund katze boot auto\n")
        #expect(translate.status == 0, "stderr: \(translate.standardError)")
        let lines = translate.standardOutput.split(
            separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4)  // three lines and the final newline
        #expect(lines[1] == "")

        let evaluate = try runCLI([
            "evaluate", "--model", "\(output)/best", "--source",
            run.appendingPathComponent("valid.src").path,
            "--reference", run.appendingPathComponent("valid.tgt").path, "--json", "--beam", "1",
        ])
        #expect(evaluate.status == 0, "stderr: \(evaluate.standardError)")
        let scores = try #require(
            try JSONSerialization.jsonObject(with: Data(evaluate.standardOutput.utf8))
                as? [String: Any])
        #expect(scores["bleu"] is Double && scores["chrf"] is Double)
        #expect((scores["bleu_signature"] as? String ?? "").contains("tok:13a"))
    }

    /// Killing the run with SIGKILL and resuming gives exactly the model of an uninterrupted
    /// run, and a log without gaps or duplicate steps.
    @Test func killedRunResumesExactly() throws {
        let straight = try Self.makeRun(steps: 60)
        let killed = try Self.makeRun(steps: 60)
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: killed)
        }
        let config = { (run: URL) in run.appendingPathComponent("config.yaml").path }
        let out = { (run: URL) in run.appendingPathComponent("out").path }
        #expect(try runCLI(["train", config(straight), "--output", out(straight)]).status == 0)

        let process = try startCLI(["train", config(killed), "--output", out(killed)])
        let logURL = killed.appendingPathComponent("out/log.jsonl")
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            // `last/` is complete once its checkpoint record is logged.
            if text.contains("\"event\":\"checkpoint\",\"step\":20") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run ended before the kill")
        let resumed = try runCLI(["train", config(killed), "--output", out(killed), "--resume"])
        #expect(resumed.status == 0, "stderr: \(resumed.standardError)")

        let expected = try Data(
            contentsOf: straight.appendingPathComponent("out/last/model.safetensors"))
        let actual = try Data(
            contentsOf: killed.appendingPathComponent("out/last/model.safetensors"))
        #expect(expected == actual, "the resumed run's weights differ from the uninterrupted run's")

        let steps = try Self.logRecords(killed)
            .filter { $0["event"] as? String == "train" }.compactMap { $0["step"] as? Int }
        #expect(steps == Array(stride(from: 5, through: 60, by: 5)))
    }

    /// The decoder-only model trains on "source <sep> target" and translates.
    @Test func decoderOnlyModelTrainsAndTranslates() throws {
        let run = try Self.makeRun(
            steps: 20,
            extra: "architecture: transformer-lm\n"
                + "tokenizer: {vocabularySize: 30, userDefinedSymbols: [\"<sep>\"]}")
        defer { try? FileManager.default.removeItem(at: run) }
        var config = try String(
            contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
        config = config.replacingOccurrences(
            of: "tokenizer: {vocabularySize: 30, userDefinedSymbols: []}\n", with: "")
        try config.write(
            to: run.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        let output = run.appendingPathComponent("out").path
        let train = try runCLI([
            "train", run.appendingPathComponent("config.yaml").path, "--output", output,
        ])
        #expect(train.status == 0, "stderr: \(train.standardError)")
        let description = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: "\(output)/best/config.json")))
        let object = try #require(description as? [String: Any])
        #expect(object["architecture"] as? String == "transformer-lm")
        let model = try #require(object["model"] as? [String: Any])
        #expect(model["separatorID"] is Int)
        let translate = try runCLI(
            ["translate", "--model", "\(output)/best", "--beam", "1"], input: "rot blau haus\n")
        #expect(translate.status == 0, "stderr: \(translate.standardError)")
        #expect(translate.standardOutput.hasSuffix("\n"))
        // It has no attention over a source to align with.
        for option in [["translate", "--alignment"], ["generate", "--output-attentions"]] {
            let refused = try runCLI(
                [option[0], "--model", "\(output)/best", option[1]], input: "[5, 6, 2]\n")
            #expect(refused.status != 0)
            #expect(
                refused.standardError.contains(option[1])
                    && refused.standardError.contains("(transformer-lm) has no attention"),
                "stderr: \(refused.standardError)")
        }
    }

    /// Ctrl-C saves `last/` at the current step, logs the interruption and exits cleanly.
    @Test func interruptSavesACheckpointAndExitsCleanly() throws {
        let run = try Self.makeRun(steps: 100_000, evaluateEvery: 1000)
        defer { try? FileManager.default.removeItem(at: run) }
        let process = try startCLI([
            "train", run.appendingPathComponent("config.yaml").path, "--output",
            run.appendingPathComponent("out").path,
        ])
        let logURL = run.appendingPathComponent("out/log.jsonl")
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline,
            !((try? String(contentsOf: logURL, encoding: .utf8)) ?? "").contains("\"step\":10")
        {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let records = try Self.logRecords(run)
        let interrupted = try #require(records.last)
        #expect(interrupted["event"] as? String == "interrupted")
        let step = try #require(interrupted["step"] as? Int)
        #expect(step >= 10)
        let trainer = try Data(contentsOf: run.appendingPathComponent("out/last/trainer.json"))
        let saved = try #require(try JSONSerialization.jsonObject(with: trainer) as? [String: Any])
        #expect(saved["step"] as? Int == step)
    }

    @Test func badConfigNamesTheFileAndKey() throws {
        let run = try Self.makeRun(steps: 10, extra: "evaluation: {beams: 3}")
        defer { try? FileManager.default.removeItem(at: run) }
        let result = try runCLI(["train", run.appendingPathComponent("config.yaml").path])
        #expect(result.status != 0)
        #expect(result.standardError.contains("config.yaml"))
        #expect(result.standardError.contains("`evaluation.beams`"))
        #expect(!result.standardError.contains("Fatal error"))
    }

    @Test func missingDataFileIsNamed() throws {
        let run = try Self.makeRun(steps: 10)
        defer { try? FileManager.default.removeItem(at: run) }
        try FileManager.default.removeItem(at: run.appendingPathComponent("train.tgt"))
        let result = try runCLI([
            "train", run.appendingPathComponent("config.yaml").path, "--output",
            run.appendingPathComponent("out").path,
        ])
        #expect(result.status != 0)
        #expect(result.standardError.contains("train.tgt"))
    }

    @Test func translateNamesAMissingModel() throws {
        let result = try runCLI(["translate", "--model", "/nonexistent/model"], input: "x\n")
        #expect(result.status != 0)
        #expect(result.standardError.contains("/nonexistent/model"))
        #expect(!result.standardError.contains("Fatal error"))
    }
}
