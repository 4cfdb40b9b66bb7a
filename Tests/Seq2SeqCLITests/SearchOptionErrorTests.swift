import Foundation
import SeqTesting
import Testing

/// Contradictory search options fail with one clear message; `generate` and `evaluate` take
/// the same options as `translate`; `evaluate --nbest` reports the n-best figures.
@Suite struct SearchOptionErrorTests {
    @Test(arguments: [
        (["--sample", "--beam", "4"], "cannot search with --beam 4"),
        (["--sample", "--groups", "2"], "--groups applies to beam search, not to --sample"),
        (["--groups", "3", "--beam", "4"], "--groups 3 must divide --beam 4"),
        (["--nbest", "5", "--beam", "2"], "--nbest 5 exceeds --beam 2"),
        (["--nbest", "6"], "--nbest 6 exceeds the beam size 5"),
        (["--temperature", "0.5"], "--temperature only applies with --sample"),
        (["--seed", "1"], "--seed only applies with --sample"),
        (["--sample", "--top-p", "1.5"], "--top-p must be in (0, 1], got 1.5"),
        (["--sample", "--temperature", "0"], "--temperature must be positive, got 0"),
        (["--diversity", "0.5"], "--diversity applies to diverse beam search"),
        (["--beam", "1", "--length-penalty", "2"], "--length-penalty applies to beam search"),
        (["--min-new-tokens", "5", "--max-new-tokens", "3"], "exceeds --max-new-tokens 3"),
        (["--early-stopping", "maybe"], "maybe"),
        (["--beam", "1", "--mbr", "chrf"], "--mbr chooses among several candidates"),
        (["--mbr", "rouge"], "rouge"),
        (["--prefix", "a", "--prefix-file", "b"], "either --prefix or --prefix-file"),
    ])
    func translateRejects(options: [String], message: String) throws {
        let model = try TinyModel.directory.get()
        let run = try runCLI(["translate", "--model", model] + options, input: "rot blau\n")
        #expect(run.status != 0)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.contains(message), "\(run.standardError)")
    }

    @Test func prefixFileWithTheWrongLineCountIsNamed() throws {
        let model = try TinyModel.directory.get()
        let file = TinyModel.path("short-prefixes-\(UUID().uuidString).txt")
        try "rot\n".write(toFile: file, atomically: true, encoding: .utf8)
        let run = try runCLI(
            ["translate", "--model", model, "--prefix-file", file], input: "rot blau\nhund\n")
        #expect(run.status != 0)
        #expect(run.standardError.contains("\(file) has 1 lines but standard input has 2"))
    }

    @Test func generateSharesTheOptions() throws {
        let model = try TinyModel.directory.get()
        let input = "[5, 6, 2]\n[7, 8, 9, 2]\n"
        let rejected = try runCLI(
            ["generate", "--model", model, "--sample", "--beam", "2"], input: input)
        #expect(rejected.status != 0)
        #expect(rejected.standardError.contains("cannot search with --beam 2"))
        let options = ["--sample", "--nbest", "3", "--seed", "4", "--top-k", "5"]
        let first = try runCLI(["generate", "--model", model] + options, input: input)
        let second = try runCLI(["generate", "--model", model] + options, input: input)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput == second.standardOutput)
        let line = try #require(first.standardOutput.split(separator: "\n").first)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((object["sequences"] as? [[Int]])?.count == 3)
    }

    @Test func evaluateReportsOracleAndDistinctNOverTheNBest() throws {
        let model = try TinyModel.directory.get()
        let options = ["--beam", "4", "--nbest", "4"]
        let run = try runCLI(
            [
                "evaluate", "--model", model, "--source", TinyModel.path("valid.src"),
                "--reference",
                TinyModel.path("valid.tgt"), "--json",
            ] + options)
        #expect(run.status == 0, "\(run.standardError)")
        let scores = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
                as? [String: Any])
        let bleu = try #require(scores["bleu"] as? Double)
        let oracle = try #require(scores["oracle_bleu"] as? Double)
        #expect(scores["nbest"] as? Int == 4 && scores["beam"] as? Int == 4)
        #expect(oracle > bleu)
        // Distinct-n over the same n-best lists that `translate` prints, per word.
        let source = try String(contentsOfFile: TinyModel.path("valid.src"), encoding: .utf8)
        let translated = try runCLI(
            ["translate", "--model", model, "--json"] + options, input: source)
        let words = try translated.standardOutput.split(separator: "\n").flatMap { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let entries = object?["translations"] as? [[String: Any]] ?? []
            return entries.map {
                ($0["text"] as? String ?? "").split(whereSeparator: \.isWhitespace)
            }
        }
        let unigrams = Set(words.flatMap { $0 })
        let bigrams = Set(
            words.flatMap { text in zip(text, text.dropFirst()).map { "\($0) \($1)" } })
        let total = Double(words.map(\.count).reduce(0, +))
        #expect(
            abs((scores["distinct_1"] as? Double ?? -1) - Double(unigrams.count) / total) < 1e-12)
        #expect(
            abs((scores["distinct_2"] as? Double ?? -1) - Double(bigrams.count) / total) < 1e-12)
        #expect(scores["distinct_4"] is Double)
        // Without --nbest there is no n-best figure.
        let single = try runCLI([
            "evaluate", "--model", model, "--source", TinyModel.path("valid.src"), "--reference",
            TinyModel.path("valid.tgt"),
        ])
        #expect(single.status == 0)
        #expect(!single.standardOutput.contains("oracle"))
    }
}
