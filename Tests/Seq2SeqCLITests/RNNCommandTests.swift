import Foundation
import SeqTesting
import Testing

/// `train` with `architecture: rnn`, then `translate`, `evaluate` and `generate` with beam
/// search on the trained model directory, for real, on a tiny reversal task.
@Suite(.serialized) struct RNNCommandTests {
    private static let words = [
        "rot", "blau", "grün", "gelb", "haus", "baum", "hund", "katze", "auto", "boot",
    ]

    /// Source lines of three to five words and their reversals, one pair per line each.
    private static func pairs(_ count: Int, seed: UInt64) -> (source: String, target: String) {
        var state = seed
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var sources: [String] = []
        var targets: [String] = []
        for _ in 0..<count {
            let sentence = (0..<(3 + next() % 3)).map { _ in words[next() % words.count] }
            sources.append(sentence.joined(separator: " "))
            targets.append(sentence.reversed().joined(separator: " "))
        }
        return (sources.joined(separator: "\n") + "\n", targets.joined(separator: "\n") + "\n")
    }

    @Test func trainTranslateEvaluateAndGenerate() throws {
        let files = try TemporaryFiles()
        let train = Self.pairs(300, seed: 7)
        let valid = Self.pairs(12, seed: 8)
        _ = try files.write("train.src", train.source)
        _ = try files.write("train.tgt", train.target)
        let validSource = try files.write("valid.src", valid.source)
        let validTarget = try files.write("valid.tgt", valid.target)
        let config = try files.write(
            "config.yaml",
            """
            seed: 3
            data:
              train: {source: train.src, target: train.tgt}
              valid: {source: valid.src, target: valid.tgt}
            tokenizer: {vocabularySize: 30, userDefinedSymbols: []}
            architecture: rnn
            model:
              cell: lstm
              embeddingSize: 16
              hiddenSize: 32
              encoderLayerCount: 1
              decoderLayerCount: 1
              bidirectional: true
              attention: general
              reverseSource: true
              dropout: 0.1
            training:
              maxTokens: 256
              learningRate: 0.003
              warmupSteps: 10
              maxSteps: 20
              evaluateEvery: 10
              logEvery: 5
            evaluation: {beam: 3}
            """)
        let output = files.path("out")
        let run = try runCLI(["train", config, "--output", output])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        for directory in ["best", "last"] {
            for file in ["config.json", "model.safetensors", "tokenizer.model"] {
                #expect(
                    FileManager.default.fileExists(atPath: "\(output)/\(directory)/\(file)"),
                    "missing \(directory)/\(file)")
            }
        }
        let description = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(output)/best/config.json")))
                as? [String: Any])
        #expect(description["architecture"] as? String == "rnn")
        let model = try #require(description["model"] as? [String: Any])
        #expect(model["reverseSource"] as? Bool == true && model["hiddenSize"] as? Int == 32)
        let log = try String(contentsOfFile: "\(output)/log.jsonl", encoding: .utf8)
        #expect(log.split(separator: "\n").filter { $0.contains(#""event":"eval""#) }.count == 2)

        let translate = try runCLI(
            ["translate", "--model", "\(output)/best", "--beam", "3"],
            input: "rot blau haus\n\nhund katze boot auto\n")
        #expect(translate.status == 0, "stderr: \(translate.standardError)")
        let lines = translate.standardOutput.split(
            separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[1] == "")

        // Its attention layer gives each output an alignment line.
        let aligned = try runCLI(
            ["translate", "--model", "\(output)/best", "--beam", "3", "--alignment"],
            input: "rot blau haus\n")
        #expect(aligned.status == 0, "stderr: \(aligned.standardError)")
        let alignedLines = aligned.standardOutput.split(
            separator: "\n", omittingEmptySubsequences: false)
        #expect(alignedLines.count == 3 && alignedLines[1].hasPrefix("A-0\t"))

        let evaluate = try runCLI([
            "evaluate", "--model", "\(output)/best", "--source", validSource, "--reference",
            validTarget, "--json", "--beam", "3",
        ])
        #expect(evaluate.status == 0, "stderr: \(evaluate.standardError)")
        let scores = try #require(
            try JSONSerialization.jsonObject(with: Data(evaluate.standardOutput.utf8))
                as? [String: Any])
        #expect(scores["bleu"] is Double && scores["chrf"] is Double)

        let generate = try runCLI(
            ["generate", "--model", "\(output)/last", "--beam", "3", "--nbest", "2"],
            input: "[5, 6, 7, 2]\n")
        #expect(generate.status == 0, "stderr: \(generate.standardError)")
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(generate.standardOutput.utf8))
                as? [String: Any])
        #expect((result["sequences"] as? [[Int]])?.count == 2)
    }
}
