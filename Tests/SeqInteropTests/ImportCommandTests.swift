import Foundation
import SeqTesting
import Testing

/// `seq2seq import hf` then `seq2seq generate` and `translate` on the Marian fixture, run as
/// the built binary.
@Suite(.serialized) struct ImportCommandTests {
    /// One line of `generate`'s output.
    private struct Output: Decodable {
        var sequences: [[Int32]]
        var scores: [Double]
        var sumLogprobs: [Double]
    }

    /// Imports `name` into a fresh temporary directory and returns the model directory.
    private func imported(_ name: String, in files: TemporaryDirectory) throws -> String {
        let output = files.url.appendingPathComponent("model").path
        let run = try runCLI([
            "import", "hf", try CheckpointFixture.directory(name).path, "--output", output,
        ])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("Imported a"))
        return output
    }

    /// Runs `generate` with `options` on the fixture's sources and decodes its output.
    private func generate(
        model: String, fixture: CheckpointFixture, options: [String]
    ) throws -> [Output] {
        let input = fixture.inputs.tokenIdsUnpadded
            .map { "[" + $0.map(String.init).joined(separator: ",") + "]" }
            .joined(separator: "\n")
        let run = try runCLI(["generate", "--model", model] + options, input: input + "\n")
        #expect(run.status == 0, "\(run.standardError)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try run.standardOutput.split(separator: "\n").map {
            try decoder.decode(Output.self, from: Data($0.utf8))
        }
    }

    /// `expected` rows without their right padding, as `generate` prints them.
    private func unpadded(
        _ rows: [[Int32]], finished: [Bool], fixture: CheckpointFixture
    ) -> [[Int32]] {
        zip(rows, finished).map { row, isFinished in
            // The start token may be the end token too (BART): search after it.
            guard isFinished,
                let end = row.dropFirst().firstIndex(of: fixture.specialTokenIds.eos)
            else {
                return row
            }
            return Array(row[...end])
        }
    }

    @Test(arguments: [
        ("greedy", [String]()),
        ("beam_search", ["--beam", "4", "--nbest", "4", "--early-stopping", "true"]),
        ("beam_search_early_stopping_false", ["--beam", "4", "--nbest", "4"]),
        (
            "group_beam_search",
            [
                "--beam", "4", "--groups", "2", "--diversity", "0.5", "--nbest", "4",
                "--early-stopping", "true",
            ]
        ),
    ])
    func importThenGenerateMatchesTheFixture(mode: String, options: [String]) throws {
        let files = try TemporaryDirectory()
        let fixture = try CheckpointFixture.load("marian-tiny-en-de")
        let model = try imported("marian-tiny-en-de", in: files)
        let outputs = try generate(model: model, fixture: fixture, options: options)
        let expected = try fixture.generation(mode)
        #expect(outputs.count == fixture.inputs.tokenIdsUnpadded.count)
        let rows = unpadded(
            expected.sequences, finished: expected.finishedWithEos, fixture: fixture)
        #expect(outputs.flatMap(\.sequences) == rows)
        for (ours, theirs) in zip(outputs.flatMap(\.sumLogprobs), expected.sumLogprobs) {
            #expect(abs(ours - theirs) <= 1e-4)
        }
        if let scores = expected.sequencesScores {
            for (ours, theirs) in zip(outputs.flatMap(\.scores), scores) {
                #expect(abs(ours - theirs) <= 1e-4)
            }
        }
    }

    @Test func importedBARTGeneratesWithItsDefaults() throws {
        // BART's generation config forces the first and last tokens and bans repeated trigrams.
        let files = try TemporaryDirectory()
        let fixture = try CheckpointFixture.load("bart-tiny")
        let model = try imported("bart-tiny", in: files)
        let outputs = try generate(model: model, fixture: fixture, options: [])
        let expected = try fixture.generation("greedy")
        let rows = unpadded(
            expected.sequences, finished: expected.finishedWithEos, fixture: fixture)
        #expect(outputs.flatMap(\.sequences) == rows)
    }

    @Test func importRefusesTheMBARTTokenizer() throws {
        let files = try TemporaryDirectory()
        let run = try runCLI([
            "import", "hf", try CheckpointFixture.directory("mbart-tiny").path, "--output",
            files.url.appendingPathComponent("out").path,
        ])
        #expect(run.status != 0)
        #expect(run.standardError.contains("sentencepiece.bpe.model"))
        #expect(run.standardError.contains("not supported"))
    }

    @Test(arguments: CheckpointFixture.tokenizerNames)
    func importedModelTranslatesWithItsDefaults(name: String) throws {
        // Greedy search with the checkpoint's settings (12 tokens, banned and forced tokens)
        // gives the reference outputs; a blank line stays blank.
        let files = try TemporaryDirectory()
        let fixture = try CheckpointFixture.load(name)
        let model = try imported(name, in: files)
        let texts = try #require(fixture.inputs.texts)
        let run = try runCLI(
            ["translate", "--model", model, "--beam", "1"],
            input: texts.joined(separator: "\n") + "\n\n")
        #expect(run.status == 0, "\(run.standardError)")
        let expected = try fixture.generation("greedy").decodedText + [""]
        #expect(run.standardOutput == expected.joined(separator: "\n") + "\n")
    }

    @Test func importRefusesAnUnsupportedModelType() throws {
        let files = try TemporaryDirectory()
        let source = try files.copyOfFixture("marian-tiny-en-de")
        try files.editConfig(of: source) { $0["model_type"] = "gpt2" }
        let run = try runCLI([
            "import", "hf", source.path, "--output", files.url.appendingPathComponent("out").path,
        ])
        #expect(run.status != 0)
        #expect(run.standardError.contains("`model_type` \"gpt2\" is not supported"))
    }

    @Test func generateRejectsMalformedInputNamingTheLine() throws {
        let files = try TemporaryDirectory()
        let model = try imported("marian-tiny-en-de", in: files)
        let run = try runCLI(["generate", "--model", model], input: "[5, 0]\nnot json\n")
        #expect(run.status != 0)
        #expect(run.standardError.contains("line 2"))
    }
}
