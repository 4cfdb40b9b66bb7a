import SeqMetrics
import Testing

/// Behaviour that depends on matching Python's `str` rather than Swift's `String`; every
/// expected value was computed with sacrebleu 2.6.0 (the call is in each comment).
@Suite struct TextSemanticsTests {
    @Test func lowercasingAppliesTheFinalSigmaRule() {
        // CHRF(lowercase=True).sentence_score("ΟΔΟΣ ΣΑΣ", ["οδος σας"]) -> 100.0
        let chrF = ChrF(lowercase: true)
        #expect(chrF.sentenceScore(hypothesis: "ΟΔΟΣ ΣΑΣ", references: ["οδος σας"]).score == 100)
        // ... against ["οδοσ σασ"] -> 23.571428571428573
        let medial = chrF.sentenceScore(hypothesis: "ΟΔΟΣ ΣΑΣ", references: ["οδοσ σασ"]).score
        #expect(abs(medial - 23.571428571428573) < 1e-12)
    }

    @Test func canonicallyEquivalentWordsDoNotMatch() {
        // BLEU(effective_order=True).sentence_score("café ok", ["cafe\u0301 ok"]) -> 49.99999999999999
        let score = BLEU(effectiveOrder: true)
            .sentenceScore(hypothesis: "caf\u{E9} ok", references: ["cafe\u{301} ok"]).score
        #expect(abs(score - 49.99999999999999) < 1e-12)
    }

    @Test func whitespaceIsPythonWhitespace() {
        // No-break and ideographic spaces separate words; the zero-width space does not.
        // BLEU(effective_order=True, tokenize='none')
        //     .sentence_score("a\u00a0b\u3000c\u200bd", ["a b c d"]) -> 39.43223765116288
        let score = BLEU(tokenizer: .none, effectiveOrder: true)
            .sentenceScore(hypothesis: "a\u{A0}b\u{3000}c\u{200B}d", references: ["a b c d"]).score
        #expect(abs(score - 39.43223765116288) < 1e-12)
    }

    @Test func terNormalisesReferencesTwice() {
        // TER(normalized=True).sentence_score("John 's book", ["John's\xa0book"]) -> 0.0, 0 edits:
        // only the second pass sees a plain space after `'s` and splits it off.
        let normalized = TER(normalized: true)
            .sentenceScore(hypothesis: "John 's book", references: ["John's\u{A0}book"])
        #expect(
            normalized.score == 0 && normalized.numEdits == 0 && normalized.referenceLength == 3)
        // TER().sentence_score(...) -> 100.0, 2 edits, ref_length 2.0
        let plain = TER().sentenceScore(
            hypothesis: "John 's book", references: ["John's\u{A0}book"])
        #expect(plain.score == 100 && plain.numEdits == 2 && plain.referenceLength == 2)
    }

    @Test func terCountsABlockShiftAsOneEdit() {
        // TER().sentence_score("a b c d e f", ["d e f a b c"]) -> 16.666666666666664, 1 edit
        let score = TER().sentenceScore(hypothesis: "a b c d e f", references: ["d e f a b c"])
        #expect(score.numEdits == 1)
        #expect(abs(score.score - 16.666666666666664) < 1e-12)
    }

    @Test func chrFPlusPlusSplitsOnePunctuationMarkOffWordEdges() {
        // CHRF(word_order=2).sentence_score("(hi) there.", ["(hi there)."]) -> 35.863095238095234
        let score = ChrF(wordOrder: 2)
            .sentenceScore(hypothesis: "(hi) there.", references: ["(hi there)."]).score
        #expect(abs(score - 35.863095238095234) < 1e-12)
    }
}
