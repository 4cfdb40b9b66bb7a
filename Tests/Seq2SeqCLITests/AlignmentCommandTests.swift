import Foundation
import SeqTesting
import Testing

/// `translate --alignment` and `generate --output-attentions`, run as the built binary on
/// `TinyModel`.
@Suite struct AlignmentCommandTests {
    /// One `--json --alignment` line.
    private struct Output: Decodable {
        struct Entry: Decodable {
            var tokens: [Int]
            var attention: [[Double]]
            var alignment: [[Int]]
        }
        var source: String
        var translations: [Entry]
    }

    /// The `source-target` pairs of an `A-` line for input `index`, or `nil` if malformed.
    private func pairs(_ line: String, index: Int) -> [[Int]]? {
        let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "A-\(index)" else { return nil }
        return parts[1].split(separator: " ").map {
            $0.split(separator: "-").compactMap { Int($0) }
        }
    }

    @Test func plainOutputAddsAnAlignmentLineAfterEachTranslation() throws {
        let plain = TranslateSearchTests.lines(try TranslateSearchTests.translate([]))
        let lines = TranslateSearchTests.lines(try TranslateSearchTests.translate(["--alignment"]))
        #expect(lines.count == 2 * plain.count)
        let json = try TranslateSearchTests.translateJSON(["--alignment"])
        let decoded = try TranslateSearchTests.translate(["--alignment", "--json"])
            .split(separator: "\n").map {
                try JSONDecoder().decode(Output.self, from: Data($0.utf8))
            }
        for index in plain.indices where 2 * index + 1 < lines.count {
            // The translation is unchanged; its alignment follows it.
            #expect(lines[2 * index] == plain[index])
            let links = try #require(pairs(lines[2 * index + 1], index: index), "\(lines)")
            let entry = decoded[index].translations.first
            #expect(links == entry?.alignment ?? [])
            #expect(json[index].translations.first?.tokens == entry?.tokens)
        }
        // The blank line gets an empty alignment.
        #expect(lines[3] == "A-1\t")
    }

    @Test func jsonHasTheAttentionMatrixAndTheHardAlignment() throws {
        let config = try JSONSerialization.jsonObject(
            with: Data(
                contentsOf: URL(fileURLWithPath: try TinyModel.directory.get())
                    .appendingPathComponent("config.json")))
        let endID = try #require(
            ((config as? [String: Any])?["model"] as? [String: Any])?["endID"] as? Int)
        let outputs = try TranslateSearchTests.translate([
            "--alignment", "--json", "--beam", "3", "--nbest", "2",
        ]).split(separator: "\n").map {
            try JSONDecoder().decode(Output.self, from: Data($0.utf8))
        }
        #expect(outputs.count == 4)
        for output in outputs where !output.source.isEmpty {
            #expect(output.translations.count == 2)
            for entry in output.translations {
                // One row per generated token, one column per source token, each a distribution.
                #expect(entry.attention.count == entry.tokens.count)
                let columns = Set(entry.attention.map(\.count))
                #expect(columns.count == 1)
                let sourceLength = columns.first ?? 0
                #expect(sourceLength >= output.source.split(separator: " ").count)
                #expect(entry.attention.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-4 })
                // Every token but the end token is linked to its most attended source token
                // (the source's end token, the last column, excluded).
                let generated = entry.tokens.count - (entry.tokens.last == endID ? 1 : 0)
                #expect(entry.alignment.map { $0[1] } == Array(0..<generated))
                for link in entry.alignment {
                    let row = entry.attention[link[1]].prefix(sourceLength - 1)
                    #expect(link[0] == row.indices.first { row[$0] == row.max() })
                }
            }
        }
    }

    @Test func nBestListsGetOneAlignmentLinePerEntry() throws {
        let lines = TranslateSearchTests.lines(
            try TranslateSearchTests.translate([
                "--alignment", "--beam", "3", "--nbest", "2",
            ]))
        // Three non-blank inputs × two entries, each followed by its alignment.
        #expect(lines.count == 12)
        for (number, line) in lines.enumerated() where number % 2 == 1 {
            let index = Int(lines[number - 1].components(separatedBy: " ||| ")[0]) ?? -1
            #expect(pairs(line, index: index) != nil, "\(line)")
        }
    }

    @Test func generatePrintsTheAttentionOfEachSequence() throws {
        struct Line: Decodable {
            var sequences: [[Int]]
            var attentions: [[[Double]]]
        }
        let model = try TinyModel.directory.get()
        let run = try runCLI(
            ["generate", "--model", model, "--beam", "2", "--nbest", "2", "--output-attentions"],
            input: "[5, 6, 7, 2]\n[8, 2]\n")
        #expect(run.status == 0, "\(run.standardError)")
        let lines = try run.standardOutput.split(separator: "\n").map {
            try JSONDecoder().decode(Line.self, from: Data($0.utf8))
        }
        #expect(lines.count == 2)
        for (line, sourceLength) in zip(lines, [4, 2]) {
            #expect(line.attentions.count == line.sequences.count)
            for (sequence, attention) in zip(line.sequences, line.attentions) {
                #expect(attention.count == sequence.count - 1)
                #expect(attention.allSatisfy { $0.count == sourceLength })
            }
        }
        let plain = try runCLI(["generate", "--model", model], input: "[5, 2]\n")
        #expect(!plain.standardOutput.contains("attentions"))
    }
}
