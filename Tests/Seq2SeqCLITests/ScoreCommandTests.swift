import Foundation
import SeqTesting
import Testing

/// `seq2seq score` run as a process on files written from the sacrebleu 2.6.0 fixtures.
@Suite struct ScoreCommandTests {
    /// Fixture cases whose segments fit in line-based files (no line breaks, no `null`
    /// references, no trailing whitespace), covering every option group.
    static let fixtureCases = [
        "corpus_de_13a", "corpus_en_13a_2refs", "corpus_short_smooth_addk",
        "corpus_chrf_whitespace_eps", "corpus_chrf_beta1_order4", "corpus_ter_asian_support",
        "corpus_ter_normalized_nopunct", "corpus_lowercase_intl_de_fr", "corpus_empty_hyp_lines",
    ]

    @Test(arguments: fixtureCases)
    func corpusJSONMatchesSacrebleu(_ id: String) throws {
        let fixture = try CLIFixture.load(id)
        let files = try TemporaryFiles()
        let arguments = try fixture.fileArguments(in: files)
        let expected = fixture.expected

        let run = try runCLI(
            ["score", "--json"] + arguments + fixture.optionArguments(wordOrder: nil))
        try #require(run.status == 0, "\(run.standardError)")
        let report = try JSONDecoder().decode(Report.self, from: Data(run.standardOutput.utf8))
        let bleu = try #require(report.bleu)
        expectClose(bleu.score, expected.bleu.score)
        #expect(bleu.counts == expected.bleu.counts)
        #expect(bleu.totals == expected.bleu.totals)
        for (actual, reference) in zip(bleu.precisions, expected.bleu.precisions) {
            expectClose(actual, reference)
        }
        expectClose(bleu.bp, expected.bleu.bp)
        #expect(bleu.sysLen == expected.bleu.sysLen && bleu.refLen == expected.bleu.refLen)
        #expect(bleu.signature == expected.signatures.bleu)
        let chrF = try #require(report.chrf)
        expectClose(chrF.score, expected.chrf.score)
        #expect(chrF.signature == expected.signatures.chrf)
        let ter = try #require(report.ter)
        expectClose(ter.score, expected.ter.score)
        #expect(Double(ter.numEdits) == expected.ter.numEdits)
        expectClose(ter.refLength, expected.ter.refLength)
        #expect(ter.signature == expected.signatures.ter)

        let plusPlus = try runCLI(
            ["score", "--json", "--metrics", "chrf"] + arguments
                + fixture.optionArguments(wordOrder: 2))
        let chrFPlusPlus = try JSONDecoder().decode(
            Report.self, from: Data(plusPlus.standardOutput.utf8))
        #expect(chrFPlusPlus.bleu == nil && chrFPlusPlus.ter == nil)
        expectClose(try #require(chrFPlusPlus.chrf).score, expected.chrfPp.score)
        #expect(chrFPlusPlus.chrf?.signature == expected.signatures.chrfPp)
    }

    @Test func sentenceLevelPrintsOneJSONObjectPerSegment() throws {
        let fixture = try CLIFixture.load("corpus_en_13a_2refs")
        let files = try TemporaryFiles()
        let run = try runCLI(
            ["score", "--json", "--sentence-level", "--metrics", "bleu", "chrf,ter"]
                + fixture.fileArguments(in: files))
        try #require(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n")
        let expected = try #require(fixture.expected.sentenceLevel)
        try #require(lines.count == expected.count)
        for (line, segment) in zip(lines, expected) {
            let report = try JSONDecoder().decode(Report.self, from: Data(line.utf8))
            expectClose(try #require(report.bleu).score, segment.bleu)
            expectClose(try #require(report.chrf).score, segment.chrf)
            expectClose(try #require(report.ter).score, segment.ter)
            // sacrebleu turns on the effective order for sentence-level BLEU.
            #expect(report.bleu?.signature.contains("|eff:yes|") == true)
        }
    }

    @Test func textOutputIsSacrebleus() throws {
        let fixture = try CLIFixture.load("corpus_de_13a")
        let files = try TemporaryFiles()
        let run = try runCLI(["score"] + fixture.fileArguments(in: files))
        try #require(run.status == 0, "\(run.standardError)")
        // `sacrebleu ref.txt -i hyp.txt -m bleu chrf ter -w 2 -f text` on the same files.
        #expect(
            run.standardOutput == """
                        BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = 63.44 \
                90.3/75.3/58.4/46.4 (BP = 0.968 ratio = 0.969 hyp_len = 93 ref_len = 96)
                      chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = 80.79
                TER|nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0 = 16.47

                """)
    }

    @Test func linesAreReadAsSacrebleuReadsThem() throws {
        // CRLF endings, trailing tabs and no-break spaces are stripped; a last line without a
        // newline counts. `sacrebleu ref.txt -i hyp.txt -m bleu chrf ter -f json -w 4
        //   --chrf-whitespace` gives BLEU 100.0, chrF2 100.0, TER 0.0 for these files.
        let files = try TemporaryFiles()
        let hypotheses = try files.write("hyp.txt", "The cat sat.\r\nA dog\u{A0} \n\tHi there")
        let references = try files.write("ref.txt", "The cat sat.\nA dog\t\r\n\tHi there\n")
        let run = try runCLI(
            [
                "score", "--json", "--chrf-whitespace", "--hypotheses", hypotheses, "--references",
                references,
            ])
        try #require(run.status == 0, "\(run.standardError)")
        let report = try JSONDecoder().decode(Report.self, from: Data(run.standardOutput.utf8))
        expectClose(try #require(report.bleu).score, 100)
        expectClose(try #require(report.chrf).score, 100)
        #expect(report.ter?.score == 0 && report.ter?.refLength == 7)
        #expect(report.bleu?.sysLen == 8 && report.bleu?.refLen == 8)
    }

    @Test func namesAMissingFile() throws {
        let files = try TemporaryFiles()
        let hypotheses = try files.write("hyp.txt", "a\n")
        let missing = files.path("missing.txt")
        let run = try runCLI(["score", "--hypotheses", hypotheses, "--references", missing])
        expectOneLineError(run, "Error: references file \(missing) does not exist")
    }

    @Test func namesTheFileAndLineWithInvalidUTF8() throws {
        let files = try TemporaryFiles()
        let good = try files.write("good.txt", "a\nb\nc\n")
        let bad = files.path("bad.txt")
        try Data(Array("a\nb".utf8) + [0xC3, 0x28] + Array("\nc\n".utf8)).write(
            to: URL(fileURLWithPath: bad))
        let run = try runCLI(["score", "--hypotheses", good, "--references", bad])
        expectOneLineError(run, "Error: \(bad): line 2 is not valid UTF-8")
    }

    @Test func namesBothFilesWhenLineCountsDiffer() throws {
        let files = try TemporaryFiles()
        let hypotheses = try files.write("hyp.txt", "a\nb\nc\n")
        let first = try files.write("ref1.txt", "a\nb\nc\n")
        let second = try files.write("ref2.txt", "a\nb")
        let run = try runCLI(["score", "--hypotheses", hypotheses, "--references", first, second])
        expectOneLineError(
            run,
            "Error: \(hypotheses) has 3 lines but \(second) has 2; "
                + "every reference file needs one line per hypothesis")
    }

    @Test(arguments: [
        (
            ["--tokenize", "moses"],
            "Error: --tokenize must be one of 13a, intl, char, zh, none; got 'moses'"
        ),
        (
            ["--metrics", "bleu,meteor"],
            "Error: unknown metric 'meteor' in --metrics; choose from bleu, chrf, ter"
        ),
        (
            ["--smooth-method", "plus-one"],
            "Error: --smooth-method must be one of exp, floor, add-k, none; got 'plus-one'"
        ),
        (
            ["--smooth-value", "0.5"],
            "Error: --smooth-value applies only to --smooth-method floor or add-k"
        ),
        (
            ["--smooth-method", "floor", "--smooth-value=-1"],
            "Error: --smooth-value must be a finite number >= 0, got -1.0"
        ),
        (
            ["--chrf-char-order", "0"],
            "Error: --chrf-char-order and --chrf-word-order must be >= 0 and not both 0; got 0 and 0"
        ),
        (
            ["--chrf-beta", "two"],
            "Error: The value 'two' is invalid for '--chrf-beta <chrf-beta>'"
        ),
    ])
    func rejectsBadOptionValues(_ options: [String], _ message: String) throws {
        let files = try TemporaryFiles()
        let text = try files.write("text.txt", "a b c\n")
        let run = try runCLI(
            ["score", "--hypotheses", text, "--references", text, "--metrics", "ter"] + options)
        #expect(run.status != 0)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.split(separator: "\n").first.map(String.init) == message)
    }
}

/// Expects a failed run whose standard error is exactly `message` on one line.
private func expectOneLineError(
    _ run: CLIRun, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(run.status == 1, sourceLocation: sourceLocation)
    #expect(run.standardOutput.isEmpty, sourceLocation: sourceLocation)
    #expect(run.standardError == message + "\n", sourceLocation: sourceLocation)
}

/// Expects `actual` within the fixtures' 1e-6 of `expected`.
private func expectClose(
    _ actual: Double, _ expected: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        abs(actual - expected) <= 1e-6, "\(actual) != \(expected)", sourceLocation: sourceLocation)
}

/// The `--json` output.
private struct Report: Decodable {
    struct BLEU: Decodable {
        var score: Double
        var counts: [Double]
        var totals: [Double]
        var precisions: [Double]
        var bp: Double
        var sysLen: Int
        var refLen: Int
        var signature: String

        enum CodingKeys: String, CodingKey {
            case score, counts, totals, precisions, bp, signature
            case sysLen = "sys_len"
            case refLen = "ref_len"
        }
    }

    struct ChrF: Decodable {
        var score: Double
        var signature: String
    }

    struct TER: Decodable {
        var score: Double
        var numEdits: Int
        var refLength: Double
        var signature: String

        enum CodingKeys: String, CodingKey {
            case score, signature
            case numEdits = "num_edits"
            case refLength = "ref_length"
        }
    }

    var bleu: BLEU?
    var chrf: ChrF?
    var ter: TER?
}
