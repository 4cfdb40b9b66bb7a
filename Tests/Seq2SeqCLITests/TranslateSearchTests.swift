import Foundation
import SeqTesting
import Testing

/// `translate`'s search options, run as the built binary on `TinyModel`: each option changes
/// the output as it should.
@Suite struct TranslateSearchTests {
    /// One `--json` line.
    struct Output: Decodable {
        struct Entry: Decodable {
            var text: String
            var tokens: [Int]
            var score: Double
            var sumLogprob: Double
        }

        struct MBR: Decodable {
            var metric: String
            var choice: Int
            var expectedUtilities: [Double]
        }

        var source: String
        var translations: [Entry]
        var mbr: MBR?
    }

    /// Runs `translate` with `options` on `input` and returns its standard output.
    static func translate(_ options: [String], input: String = TinyModel.input) throws -> String {
        let model = try TinyModel.directory.get()
        let run = try runCLI(["translate", "--model", model] + options, input: input)
        #expect(run.status == 0, "translate \(options): \(run.standardError)")
        return run.standardOutput
    }

    /// Runs `translate --json` with `options` and decodes every line.
    static func translateJSON(_ options: [String]) throws -> [Output] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try translate(options + ["--json"]).split(separator: "\n").map {
            try decoder.decode(Output.self, from: Data($0.utf8))
        }
    }

    /// The lines of `text`, without the final newline.
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func jsonMatchesThePlainOutput() throws {
        let plain = Self.lines(try Self.translate([]))
        let json = try Self.translateJSON([])
        #expect(plain.count == 4 && json.count == 4)
        #expect(json.map(\.source) == Self.lines(TinyModel.input))
        #expect(json.map { $0.translations.first?.text ?? "" } == plain)
        #expect(plain[1] == "" && json[1].translations.isEmpty)
        // The trained model's default is beam 5 with one output.
        #expect(json.allSatisfy { $0.translations.count <= 1 })
    }

    @Test func batchSizeDoesNotChangeTheOutput() throws {
        // Tokens exactly, scores to 1e-5 (padding changes the last bits of the sums).
        let options = ["--beam", "3", "--nbest", "3"]
        let together = try Self.translateJSON(options).flatMap(\.translations)
        let alone = try Self.translateJSON(options + ["--batch-size", "1"]).flatMap(\.translations)
        #expect(together.map(\.tokens) == alone.map(\.tokens))
        for (ours, theirs) in zip(together, alone) {
            #expect(abs(ours.score - theirs.score) < 1e-5)
            #expect(abs(ours.sumLogprob - theirs.sumLogprob) < 1e-5)
        }
    }

    @Test func nBestGivesDistinctOutputsBestFirst() throws {
        let json = try Self.translateJSON(["--beam", "4", "--nbest", "3"])
        let listed = Self.lines(try Self.translate(["--beam", "4", "--nbest", "3"]))
        var expected: [String] = []
        for (index, output) in json.enumerated() where !output.source.isEmpty {
            let entries = output.translations
            #expect(entries.count == 3)
            #expect(Set(entries.map(\.tokens)).count == 3)
            #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.score >= $1.score })
            expected += entries.map { "\(index) ||| \($0.text) ||| " }
        }
        // Plain n-best: "INDEX ||| TEXT ||| SCORE", as the JSON, nothing for the blank line.
        #expect(listed.count == expected.count)
        for (line, prefix) in zip(listed, expected) {
            #expect(line.hasPrefix(prefix), "\(line)")
        }
        let scores = listed.compactMap { Double($0.components(separatedBy: " ||| ")[2]) }
        let jsonScores = json.flatMap { $0.translations.map(\.score) }
        #expect(zip(scores, jsonScores).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func lengthPenaltyNormalisesTheScore() throws {
        // α = 0: the score is the sum of log-probabilities; α = 1: divided by the length.
        for output in try Self.translateJSON([
            "--beam", "3", "--nbest", "3", "--length-penalty", "0",
        ]) {
            for entry in output.translations {
                #expect(abs(entry.score - entry.sumLogprob) < 1e-4)
            }
        }
        for output in try Self.translateJSON([
            "--beam", "3", "--nbest", "3", "--length-penalty", "1",
        ]) {
            for entry in output.translations {
                #expect(abs(entry.score * Double(entry.tokens.count) - entry.sumLogprob) < 1e-4)
            }
        }
    }

    @Test func lengthAndRepetitionLimitsHold() throws {
        let limited = try Self.translateJSON([
            "--beam", "3", "--nbest", "3", "--max-new-tokens", "2",
        ])
        #expect(limited.flatMap(\.translations).allSatisfy { $0.tokens.count <= 2 })
        let perSource = try Self.translateJSON([
            "--beam", "3", "--nbest", "3", "--max-length-a", "0", "--max-length-b", "3",
        ])
        #expect(perSource.flatMap(\.translations).allSatisfy { $0.tokens.count <= 3 })
        let long = try Self.translateJSON(["--beam", "3", "--nbest", "3", "--min-new-tokens", "9"])
        #expect(long.flatMap(\.translations).allSatisfy { $0.tokens.count >= 9 })
        // The barely trained model repeats words; banning repeated unigrams removes that.
        let plain = try Self.translateJSON(["--beam", "3", "--nbest", "3"])
        #expect(plain.flatMap(\.translations).contains { Set($0.tokens).count < $0.tokens.count })
        let unique = try Self.translateJSON([
            "--beam", "3", "--nbest", "3", "--no-repeat-ngram", "1",
        ])
        #expect(
            unique.flatMap(\.translations).allSatisfy { Set($0.tokens).count == $0.tokens.count })
    }

    @Test func earlyStoppingNeverSearchesLonger() throws {
        let stopEarly = try Self.translateJSON(["--beam", "3", "--early-stopping", "true"])
        let never = try Self.translateJSON(["--beam", "3", "--early-stopping", "never"])
        let pairs = zip(stopEarly, never).compactMap { early, never in
            early.translations.first.flatMap { first in never.translations.first.map { (first, $0) }
            }
        }
        #expect(pairs.count == 3)
        // `never` runs the same beams for longer: it can only find better outputs.
        #expect(pairs.allSatisfy { $0.1.score >= $0.0.score - 1e-6 })
        #expect(pairs.contains { $0.1.score > $0.0.score })
    }

    @Test func diverseBeamSearchSpreadsTheFirstToken() throws {
        let diverse = try Self.translateJSON([
            "--beam", "3", "--groups", "3", "--diversity", "100", "--nbest", "3",
        ])
        let plain = try Self.translateJSON(["--beam", "3", "--nbest", "3"])
        for output in diverse where !output.source.isEmpty {
            // A strong Hamming penalty makes every group start differently.
            #expect(Set(output.translations.compactMap(\.tokens.first)).count == 3)
        }
        #expect(plain.contains { Set($0.translations.compactMap(\.tokens.first)).count < 3 })
    }

    @Test func prefixForcesTheStartOfEveryOutput() throws {
        let outputs = try Self.translateJSON(["--beam", "3", "--nbest", "3", "--prefix", "boot"])
        for output in outputs where !output.source.isEmpty {
            #expect(output.translations.allSatisfy { $0.text.hasPrefix("boot") })
        }
        let plain = Self.lines(try Self.translate(["--prefix", "katze hund"]))
        #expect(plain[0].hasPrefix("katze hund") && plain[2].hasPrefix("katze hund"))
        // One prefix per line; a blank prefix forces nothing.
        let file = TinyModel.path("prefixes-\(UUID().uuidString).txt")
        try "auto\n\ngrün rot\n\n".write(toFile: file, atomically: true, encoding: .utf8)
        let perLine = Self.lines(try Self.translate(["--prefix-file", file]))
        let free = Self.lines(try Self.translate([]))
        #expect(perLine[0].hasPrefix("auto") && perLine[2].hasPrefix("grün rot"))
        #expect(perLine[1] == "" && perLine[3] == free[3])
    }

    @Test func seededSamplingRepeatsAndTheSeedMatters() throws {
        let options = ["--sample", "--nbest", "4", "--seed", "7"]
        let first = try Self.translateJSON(options)
        let second = try Self.translateJSON(options)
        #expect(
            first.map { $0.translations.map(\.tokens) }
                == second.map { $0.translations.map(\.tokens) })
        for output in first where !output.source.isEmpty {
            #expect(output.translations.count == 4)
            let scores = output.translations.map(\.score)
            #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 })
        }
        let other = try Self.translateJSON(["--sample", "--nbest", "4", "--seed", "8"])
        #expect(
            first.map { $0.translations.map(\.tokens) }
                != other.map { $0.translations.map(\.tokens) })
        let hotter = try Self.translateJSON(options + ["--temperature", "3"])
        #expect(
            first.map { $0.translations.map(\.tokens) }
                != hotter.map { $0.translations.map(\.tokens) })
    }

    @Test(arguments: [["--top-k", "1"], ["--top-p", "0.001"], ["--min-p", "1"]])
    func truncationToOneTokenIsGreedy(options: [String]) throws {
        let greedy = try Self.translate(["--beam", "1"])
        #expect(try Self.translate(["--sample", "--seed", "5"] + options) == greedy)
        // Without truncation the samples differ from greedy search.
        #expect(try Self.translate(["--sample", "--seed", "5"]) != greedy)
    }

    @Test(arguments: ["chrf", "bleu"])
    func mbrChoosesAnNBestCandidate(metric: String) throws {
        let options = ["--beam", "5", "--nbest", "5", "--mbr", metric]
        let json = try Self.translateJSON(options)
        let plain = Self.lines(try Self.translate(options))
        var differsFromBest = false
        for (output, line) in zip(json, plain) {
            guard let mbr = output.mbr else {
                #expect(output.translations.isEmpty && line == "")
                continue
            }
            #expect(mbr.metric == metric && mbr.expectedUtilities.count == 5)
            let best = mbr.expectedUtilities.max() ?? 0
            #expect(mbr.choice == mbr.expectedUtilities.firstIndex(of: best))
            #expect(output.translations[mbr.choice].text == line)
            differsFromBest = differsFromBest || mbr.choice != 0
        }
        // Without --nbest, --mbr takes every beam as a candidate.
        #expect(
            try Self.translate(["--beam", "5", "--mbr", metric]) == plain.map { $0 + "\n" }.joined()
        )
        #expect(differsFromBest)
        // Samples are candidates too.
        let sampled = try Self.translateJSON([
            "--sample", "--nbest", "6", "--seed", "1", "--mbr", metric,
        ])
        #expect(sampled.compactMap(\.mbr).allSatisfy { $0.expectedUtilities.count == 6 })
    }
}
