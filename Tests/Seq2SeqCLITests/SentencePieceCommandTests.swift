import Foundation
import SeqTesting
import Testing

@Suite struct SentencePieceCommandTests {
    @Test func trainEncodeDecodeRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("seq2seq-spm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let corpus = (0..<200).map { "the quick brown fox \($0) jumps over the lazy dog" }
        let text = directory.appendingPathComponent("corpus.txt")
        try (corpus.joined(separator: "\n") + "\n").write(
            to: text, atomically: true, encoding: .utf8)
        let model = directory.appendingPathComponent("m.model").path

        let train = try runCLI([
            "spm", "train", "--input", text.path, "--output", model, "--vocab-size", "50",
            "--user-defined-symbols", "<sep>",
        ])
        #expect(train.status == 0, "stderr: \(train.standardError)")

        let pieces = try runCLI(
            ["spm", "encode", "--model", model, "--output-format", "piece"],
            input: "the lazy fox <sep> dog\n")
        #expect(pieces.status == 0)
        #expect(pieces.standardOutput.contains("<sep>"))

        let ids = try runCLI(["spm", "encode", "--model", model], input: "the lazy dog\n")
        #expect(ids.status == 0)
        let decoded = try runCLI(["spm", "decode", "--model", model], input: ids.standardOutput)
        #expect(decoded.standardOutput == "the lazy dog\n")
    }

    @Test func errorsNameTheFileOrTheLine() throws {
        let missing = try runCLI(
            ["spm", "encode", "--model", "/nonexistent/x.model"], input: "a\n")
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("/nonexistent/x.model"))

        let badType = try runCLI([
            "spm", "train", "--input", "x", "--output", "y", "--model-type", "char",
        ])
        #expect(badType.status != 0)
        #expect(badType.standardError.contains("--model-type must be unigram or bpe"))
    }
}
