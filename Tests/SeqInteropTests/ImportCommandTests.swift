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

    /// transformers' greedy translations with mbart-tiny and the tiny mBART tokenizer
    /// (`Tests/SeqTextTests/Fixtures/mbart_tokenizer.json`, `make_mbart_tokenizer.py`).
    private struct MBartGeneration: Decodable {
        struct Case: Decodable {
            var srcLang: String
            var tgtLang: String
            var texts: [String]
            var sequences: [[Int32]]
            var decoded: [String]
        }
        var generation: [Case]
    }

    /// A copy of mbart-tiny with the tiny tokenizer of the SeqText fixtures.
    private func mbartWithTokenizer(in files: TemporaryDirectory) throws -> URL {
        let copy = try files.copyOfFixture("mbart-tiny")
        let tokenizer = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(
                "SeqTextTests/Fixtures/mbart-tiny-sentencepiece.bpe.model")
        try Data(contentsOf: tokenizer).write(
            to: copy.appendingPathComponent("sentencepiece.bpe.model"))
        return copy
    }

    @Test func importedMBARTTranslatesAsTransformers() throws {
        let files = try TemporaryDirectory()
        let output = files.url.appendingPathComponent("model").path
        let imported = try runCLI([
            "import", "hf", try mbartWithTokenizer(in: files).path, "--output", output,
        ])
        #expect(imported.status == 0, "\(imported.standardError)")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(
                "SeqTextTests/Fixtures/mbart_tokenizer.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let expected = try decoder.decode(MBartGeneration.self, from: Data(contentsOf: fixture))
        #expect(expected.generation.count == 2)
        for item in expected.generation {
            let options = [
                "translate", "--model", output, "--beam", "1", "--source-lang", item.srcLang,
                "--target-lang", item.tgtLang,
            ]
            let input = item.texts.joined(separator: "\n") + "\n"
            let run = try runCLI(options, input: input)
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.standardOutput == item.decoded.map { $0 + "\n" }.joined())
            // The generated ids, after the decoder start `</s>`, are transformers'.
            let json = try runCLI(options + ["--json"], input: input)
            let tokens = try json.standardOutput.split(separator: "\n").map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
                let translations = (object as? [String: Any])?["translations"] as? [[String: Any]]
                return (translations?.first?["tokens"] as? [Int32]) ?? []
            }
            #expect(tokens == item.sequences.map { Array($0.dropFirst()) })
        }
        let wrong = try runCLI(
            ["translate", "--model", output, "--target-lang", "xx_XX"], input: "tea\n")
        #expect(wrong.status != 0)
        #expect(wrong.standardError.contains("--target-lang xx_XX is not an mBART language code"))
    }

    @Test func importRefusesTheMBART50Tokenizer() throws {
        let files = try TemporaryDirectory()
        let source = try mbartWithTokenizer(in: files)
        try Data(#"{"tokenizer_class": "MBart50Tokenizer"}"#.utf8).write(
            to: source.appendingPathComponent("tokenizer_config.json"))
        let run = try runCLI([
            "import", "hf", source.path, "--output", files.url.appendingPathComponent("out").path,
        ])
        #expect(run.status != 0)
        #expect(run.standardError.contains("tokenizer_config.json"))
        #expect(run.standardError.contains("\"MBart50Tokenizer\" is not supported"))
    }

    @Test func importNamesAMissingMBARTTokenizer() throws {
        let files = try TemporaryDirectory()
        let run = try runCLI([
            "import", "hf", try CheckpointFixture.directory("mbart-tiny").path, "--output",
            files.url.appendingPathComponent("out").path,
        ])
        #expect(run.status != 0)
        #expect(run.standardError.contains("sentencepiece.bpe.model"))
        #expect(run.standardError.contains("missing tokenizer file"))
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
