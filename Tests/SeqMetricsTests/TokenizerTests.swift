import SeqMetrics
import Testing

/// Hand-checked tokenisations; each expected string is also what sacrebleu 2.6.0 returns
/// (`sacrebleu.tokenizers.tokenizer_<name>`'s tokenizer called on the input).
@Suite struct TokenizerTests {
    @Test(arguments: [
        // Period and comma split except inside numbers; apostrophes stay.
        ("Hello, world! It's 3.14 or 1,000.", "Hello , world ! It's 3.14 or 1,000 ."),
        // Dash splits after a digit only; `$` and brackets always split.
        ("The U.S.A. (in 1990-2000) cost $5.", "The U . S . A . ( in 1990 - 2000 ) cost $ 5 ."),
        // Entities are unescaped first and `<skipped>` is removed.
        ("a&amp;b &lt;tag&gt; &quot;q&quot; <skipped>x", "a & b < tag > \" q \" x"),
        // A hyphen before a line break joins the lines.
        ("end-\nof line\nnext", "endof line next"),
        ("x.y,z 5.5.5 a.5 5.a 3-4 a-b", "x . y , z 5.5.5 a . 5 5 . a 3 - 4 a-b"),
    ])
    func thirteenA(_ input: String, _ expected: String) {
        #expect(BLEUTokenizer.thirteenA.tokenize(input) == expected)
    }

    @Test(arguments: [
        // Punctuation splits unless between numbers; `'` is punctuation here.
        ("Hello, world! It's 3.14 or 1,000.", "Hello , world ! It ' s 3.14 or 1,000."),
        ("« Bonjour » — dit-il… 2.5€", "« Bonjour » — dit - il … 2.5 €"),
        ("Größe: 1.000,50 €!", "Größe : 1.000,50 € !"),
        ("مرحبا، كيف حالك؟", "مرحبا ، كيف حالك ؟"),
        // ² and ½ are numbers (No), `+` and `≤` symbols (Sm).
        ("x²+y½ ≤ 3", "x² + y½ ≤ 3"),
        // mteval-v14's quirk: a final period after a number stays attached.
        ("In 1990.", "In 1990."),
    ])
    func international(_ input: String, _ expected: String) {
        #expect(BLEUTokenizer.international.tokenize(input) == expected)
    }

    @Test(arguments: [
        ("我爱北京天安门。", "我 爱 北 京 天 安 门 。"),
        ("  iPhone 12 很好用, 真的!  ", "iPhone 12 很 好 用 , 真 的 !"),
        // Hiragana is not in sacrebleu's ranges, so `です` stays one word; “ ” are (U+2001…U+2A6D).
        ("価格は“100円”です", "価 格 は “ 100 円 ” です"),
        ("中文ABC中文", "中 文 ABC 中 文"),
        ("a’b €5", "a ’ b € 5"),
    ])
    func chinese(_ input: String, _ expected: String) {
        #expect(BLEUTokenizer.chinese.tokenize(input) == expected)
    }

    @Test(arguments: [
        ("ab c", "a b c"),
        // Code points, not grapheme clusters: the skin-tone modifier and the combining accent
        // are words of their own.
        ("👍🏽 é", "👍 🏽 é"),
        ("e\u{301}", "e \u{301}"),
    ])
    func character(_ input: String, _ expected: String) {
        #expect(BLEUTokenizer.character.tokenize(input) == expected)
    }

    @Test func noneOnlySplitsOnWhitespace() {
        #expect(BLEUTokenizer.none.tokenize(" a,b\tc. ") == "a,b c.")
    }

    @Test func rawValuesAreSacrebleuNames() {
        #expect(BLEUTokenizer.allCases.map(\.rawValue) == ["13a", "intl", "char", "zh", "none"])
    }
}
