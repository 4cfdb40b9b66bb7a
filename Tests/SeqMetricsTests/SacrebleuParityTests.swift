import SeqMetrics
import Testing

/// Every case of `Fixtures/index.json` (sacrebleu 2.6.0), checked field by field.
@Suite struct SacrebleuParityTests {
    /// Float fields agree with sacrebleu within this absolute difference (fixture README).
    static let tolerance = 1e-6

    @Test func indexListsEveryCase() throws {
        #expect(try MetricFixture.caseIDs().count == 61)
    }

    @Test(arguments: try MetricFixture.caseIDs())
    func matchesSacrebleu(_ id: String) throws {
        try checkCorpusLevel(MetricFixture.load(id))
    }

    @Test(arguments: try MetricFixture.caseIDs())
    func sentenceLevelMatchesSacrebleu(_ id: String) throws {
        try checkSentenceLevel(MetricFixture.load(id))
    }

    /// Random options and adversarial text, including long lines that exhaust TER's shift
    /// candidate budget.
    @Test(arguments: try MetricFixture.generatedCases())
    func generatedCaseMatchesSacrebleu(_ fixture: MetricFixture) throws {
        try checkCorpusLevel(fixture)
        try checkSentenceLevel(fixture)
    }

    private func checkCorpusLevel(_ fixture: MetricFixture) throws {
        let id = fixture.id
        let expected = fixture.expected
        let isSentence = fixture.kind == "sentence"

        let bleu = fixture.bleu()
        let bleuScore =
            isSentence
            ? bleu.sentenceScore(
                hypothesis: fixture.hypotheses[0], references: fixture.references(ofSegment: 0))
            : bleu.corpusScore(hypotheses: fixture.hypotheses, references: fixture.references)
        expectClose(bleuScore.score, expected.bleu.score, "\(id) BLEU")
        #expect(bleuScore.counts == expected.bleu.counts, "\(id) BLEU counts")
        #expect(bleuScore.totals == expected.bleu.totals, "\(id) BLEU totals")
        for (actual, reference) in zip(bleuScore.precisions, expected.bleu.precisions) {
            expectClose(actual, reference, "\(id) BLEU precisions")
        }
        expectClose(bleuScore.brevityPenalty, expected.bleu.bp, "\(id) BLEU bp")
        #expect(bleuScore.systemLength == expected.bleu.sysLen, "\(id) sys_len")
        #expect(bleuScore.referenceLength == expected.bleu.refLen, "\(id) ref_len")
        #expect(bleuScore.signature == expected.signatures.bleu)

        for (options, score, signature) in [
            (fixture.options.chrf, expected.chrf.score, expected.signatures.chrf),
            (fixture.options.chrfPp, expected.chrfPp.score, expected.signatures.chrfPp),
        ] {
            let chrF = MetricFixture.chrF(options)
            let chrFScore =
                isSentence
                ? chrF.sentenceScore(
                    hypothesis: fixture.hypotheses[0],
                    references: fixture.references(ofSegment: 0))
                : chrF.corpusScore(hypotheses: fixture.hypotheses, references: fixture.references)
            expectClose(chrFScore.score, score, "\(id) \(chrF.name)")
            #expect(chrFScore.signature == signature)
        }

        let ter = fixture.ter
        let terScore =
            isSentence
            ? ter.sentenceScore(
                hypothesis: fixture.hypotheses[0], references: fixture.references(ofSegment: 0))
            : ter.corpusScore(hypotheses: fixture.hypotheses, references: fixture.references)
        expectClose(terScore.score, expected.ter.score, "\(id) TER")
        #expect(Double(terScore.numEdits) == expected.ter.numEdits, "\(id) TER num_edits")
        expectClose(terScore.referenceLength, expected.ter.refLength, "\(id) TER ref_length")
        #expect(terScore.signature == expected.signatures.ter)
    }

    private func checkSentenceLevel(_ fixture: MetricFixture) throws {
        let id = fixture.id
        guard let sentenceLevel = fixture.expected.sentenceLevel else {
            #expect(fixture.kind == "sentence", "\(id): corpus case without sentence_level")
            return
        }
        try #require(sentenceLevel.count == fixture.hypotheses.count)
        let bleu = fixture.bleu(effectiveOrder: true)
        let chrF = MetricFixture.chrF(fixture.options.chrf)
        let chrFPlusPlus = MetricFixture.chrF(fixture.options.chrfPp)
        for (index, expected) in sentenceLevel.enumerated() {
            let hypothesis = fixture.hypotheses[index]
            let references = fixture.references(ofSegment: index)
            let segment = "\(id) segment \(index)"
            expectClose(
                bleu.sentenceScore(hypothesis: hypothesis, references: references).score,
                expected.bleu, "\(segment) BLEU")
            expectClose(
                chrF.sentenceScore(hypothesis: hypothesis, references: references).score,
                expected.chrf, "\(segment) chrF")
            expectClose(
                chrFPlusPlus.sentenceScore(hypothesis: hypothesis, references: references).score,
                expected.chrfPp, "\(segment) chrF++")
            expectClose(
                fixture.ter.sentenceScore(hypothesis: hypothesis, references: references).score,
                expected.ter, "\(segment) TER")
        }
    }
}

/// Expects `actual` within ``SacrebleuParityTests/tolerance`` of `expected`.
func expectClose(
    _ actual: Double, _ expected: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        abs(actual - expected) <= SacrebleuParityTests.tolerance,
        "\(what): \(actual) != \(expected)", sourceLocation: sourceLocation)
}
