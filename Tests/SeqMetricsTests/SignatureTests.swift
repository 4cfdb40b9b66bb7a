import SeqMetrics
import Testing

/// Signatures compared string-exact with sacrebleu 2.6.0.
///
/// Each expected string is what `get_signature()` returns after the scoring call in the
/// comment above it, run as `python3 -c "from sacrebleu.metrics import BLEU; b = BLEU(...); b.corpus_score(...); print(b.get_signature())"`.
@Suite struct SignatureTests {
    @Test func bleu() {
        // BLEU(tokenize='intl', lowercase=True, smooth_method='floor', smooth_value=0.25,
        //      effective_order=True).corpus_score(['a b'], [['a b'], ['b a']])
        let floor = BLEU(
            tokenizer: .international, lowercase: true, smoothing: .floor(0.25),
            effectiveOrder: true)
        #expect(
            floor.corpusScore(hypotheses: ["a b"], references: [["a b"], ["b a"]]).signature
                == "nrefs:2|case:lc|eff:yes|tok:intl|smooth:floor[0.25]|version:2.6.0")
        // BLEU(smooth_method='add-k').corpus_score(['a', 'b'], [['a', 'b'], ['c', None]])
        #expect(
            BLEU(smoothing: .addK()).corpusScore(
                hypotheses: ["a", "b"], references: [["a", "b"], ["c", nil]]
            ).signature == "nrefs:var|case:mixed|eff:no|tok:13a|smooth:add-k[1.00]|version:2.6.0")
        // BLEU(tokenize='none', smooth_method='none').corpus_score(['a'], [['a']])
        #expect(
            BLEU(tokenizer: .none, smoothing: .none).corpusScore(
                hypotheses: ["a"], references: [["a"]]
            )
            .signature == "nrefs:1|case:mixed|eff:no|tok:none|smooth:none|version:2.6.0")
    }

    @Test func chrF() {
        // CHRF(char_order=4, word_order=2, beta=1, lowercase=True, whitespace=True,
        //      eps_smoothing=True).corpus_score(['a'], [['a'], ['b']])
        let chrF = ChrF(
            characterOrder: 4, wordOrder: 2, beta: 1, lowercase: true, whitespace: true,
            epsSmoothing: true)
        let score = chrF.corpusScore(hypotheses: ["a"], references: [["a"], ["b"]])
        #expect(score.signature == "nrefs:2|case:lc|eff:no|nc:4|nw:2|space:yes|version:2.6.0")
        #expect(score.name == "chrF1++")
        #expect(ChrF().name == "chrF2")
    }

    @Test func ter() {
        // TER(normalized=True, no_punct=True, asian_support=True, case_sensitive=True)
        //     .corpus_score(['a', 'b'], [['a', 'b'], [None, 'c']])
        let ter = TER(
            normalized: true, noPunctuation: true, asianSupport: true, caseSensitive: true)
        #expect(
            ter.corpusScore(hypotheses: ["a", "b"], references: [["a", "b"], [nil, "c"]]).signature
                == "nrefs:var|case:mixed|tok:tercom|norm:yes|punct:no|asian:yes|version:2.6.0")
    }

    @Test func formattedLinesFollowSacrebleu() {
        // sacrebleu's Score.format(width=2, signature=...) for these fixture-like values.
        let bleu = BLEU().corpusScore(
            hypotheses: ["the cat sat on the mat"], references: [["the cat sat on a mat"]])
        #expect(
            bleu.formatted()
                == "BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = 53.73 "
                + "83.3/60.0/50.0/33.3 (BP = 1.000 ratio = 1.000 hyp_len = 6 ref_len = 6)")
    }
}
