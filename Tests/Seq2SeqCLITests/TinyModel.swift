import Foundation
import SeqTesting

/// A tiny encoder–decoder trained once per test process (60 steps on reversing three to five
/// German colour and object words), for the decoding commands' tests.
///
/// It is barely trained, so its outputs vary between beams and samples, which is what the
/// search options need to show their effect.
enum TinyModel {
    /// Why the model could not be trained.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The folder holding the training files and the run; removed when the process exits.
    static let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("seq2seq-search-\(UUID().uuidString)")

    /// The trained model directory (`out/best`), trained on first use.
    static let directory: Result<String, Failure> = train()

    /// Source lines for the tests: three sentences and a blank line.
    static let input = "rot blau haus\n\nhund katze boot auto\ngelb baum grün\n"

    /// The words of the task.
    private static let words = [
        "rot", "blau", "grün", "gelb", "haus", "baum", "hund", "katze", "auto", "boot",
    ]

    private static func train() -> Result<String, Failure> {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            atexit { try? FileManager.default.removeItem(at: TinyModel.folder) }
            var state: UInt64 = 7
            func next() -> Int {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int(state >> 33)
            }
            for (name, count) in [("train", 400), ("valid", 20)] {
                var sources: [String] = []
                var targets: [String] = []
                for _ in 0..<count {
                    let sentence = (0..<(3 + next() % 3)).map { _ in words[next() % words.count] }
                    sources.append(sentence.joined(separator: " "))
                    targets.append(sentence.reversed().joined(separator: " "))
                }
                try write(sources.joined(separator: "\n") + "\n", to: "\(name).src")
                try write(targets.joined(separator: "\n") + "\n", to: "\(name).tgt")
            }
            try write(
                """
                seed: 3
                data:
                  train: {source: train.src, target: train.tgt}
                  valid: {source: valid.src, target: valid.tgt}
                tokenizer: {vocabularySize: 30, userDefinedSymbols: []}
                model: {modelSize: 32, headCount: 2, feedForwardSize: 64, encoderLayerCount: 1,
                        decoderLayerCount: 1}
                training: {maxTokens: 256, learningRate: 0.003, warmupSteps: 10, maxSteps: 60,
                           evaluateEvery: 60, logEvery: 20}
                """, to: "config.yaml")
            let output = folder.appendingPathComponent("out").path
            let run = try runCLI([
                "train", folder.appendingPathComponent("config.yaml").path, "--output", output,
            ])
            guard run.status == 0 else {
                return .failure(Failure(description: "training failed: \(run.standardError)"))
            }
            return .success("\(output)/best")
        } catch {
            return .failure(Failure(description: "cannot prepare the training run: \(error)"))
        }
    }

    private static func write(_ text: String, to name: String) throws {
        try text.write(
            to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// The path of `name` in the run folder.
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}
