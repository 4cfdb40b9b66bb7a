/// How BLEU splits a line into words, as sacrebleu's `--tokenize` options do.
///
/// Each case reproduces the sacrebleu 2.6.0 tokenizer of the same name code point for code
/// point; its raw value is the name used in signatures and on the command line.
public enum BLEUTokenizer: String, Sendable, CaseIterable {
    /// `13a`, the default: the `mteval-v13a.pl` rules used by WMT.
    ///
    /// Removes `<skipped>`, joins lines, unescapes `&quot; &amp; &lt; &gt;`, splits off ASCII
    /// punctuation and symbols, and splits `.` and `,` except between digits and `-` after a digit.
    case thirteenA = "13a"
    /// `intl`: the `mteval-v14.pl` international rules over Unicode categories.
    ///
    /// Splits off punctuation (`\p{P}`) unless it is both preceded and followed by a number
    /// (`\p{N}`), and every symbol (`\p{S}`).
    case international = "intl"
    /// `char`: every code point is a word; whitespace is dropped.
    case character = "char"
    /// `zh`: splits off each CJK code point (sacrebleu's ranges), then applies the 13a rules.
    case chinese = "zh"
    /// `none`: the line is already tokenised; words are separated by whitespace only.
    case none = "none"

    /// Tokenises `line` and returns its words separated by single spaces.
    ///
    /// Equals sacrebleu's `tokenizer(line)` for this tokenizer, except that `none` also
    /// collapses whitespace (which changes no BLEU statistic, as BLEU splits on whitespace).
    public func tokenize(_ line: String) -> String {
        string(from: collapsingWhitespace(tokenized(scalars(of: line))))
    }

    /// The tokenised line as code points, words separated by Python whitespace.
    func tokenized(_ line: Scalars) -> Scalars {
        switch self {
        case .thirteenA: return thirteenATokenized(line)
        case .international: return internationalTokenized(line)
        case .character: return Array(line.map { [$0] }.joined(separator: [" "]))
        case .chinese: return chineseTokenized(line)
        case .none: return line
        }
    }
}

/// `Tokenizer13a`: mteval-v13a's language-independent part, then the shared rules.
private func thirteenATokenized(_ line: Scalars) -> Scalars {
    var text = line.replacing("<skipped>", with: "")
        .replacing("-\n", with: "")
        .replacing("\n", with: " ")
    if text.contains("&") {
        text = text.replacing("&quot;", with: "\"")
            .replacing("&amp;", with: "&")
            .replacing("&lt;", with: "<")
            .replacing("&gt;", with: ">")
    }
    return westernRulesTokenized([" "] + text + [" "])
}

/// `TokenizerRegexp`, the post-processing shared by `13a` and `zh`.
private func westernRulesTokenized(_ line: Scalars) -> Scalars {
    let text =
        line
        // ([\{-\~\[-\` -\&\(-\+\:-\@\/]) -> ' \1 '
        .padding(isWesternPunctuation)
        // ([^0-9])([\.,]) -> '\1 \2 '
        .separatingPairs({ !$0.isASCIIDigit }, isPeriodOrComma, as: .spaceAfterEach)
        // ([\.,])([^0-9]) -> ' \1 \2'
        .separatingPairs(isPeriodOrComma, { !$0.isASCIIDigit }, as: .spaceBeforeEach)
        // ([0-9])(-) -> '\1 \2 '
        .separatingPairs({ $0.isASCIIDigit }, { $0 == "-" }, as: .spaceAfterEach)
    return collapsingWhitespace(text)
}

/// The character class `[\{-\~\[-\` -\&\(-\+\:-\@\/]` of the 13a rules (and of tercom's).
func isWesternPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x7B...0x7E, 0x5B...0x60, 0x20...0x26, 0x28...0x2B, 0x3A...0x40, 0x2F: return true
    default: return false
    }
}

/// The character class `[\.,]`.
func isPeriodOrComma(_ scalar: Unicode.Scalar) -> Bool { scalar == "." || scalar == "," }

/// `TokenizerV14International`.
private func internationalTokenized(_ line: Scalars) -> Scalars {
    let text =
        line
        // (\P{N})(\p{P}) -> '\1 \2 '
        .separatingPairs({ !$0.isNumber }, { $0.isPunctuation }, as: .spaceAfterEach)
        // (\p{P})(\P{N}) -> ' \1 \2'
        .separatingPairs({ $0.isPunctuation }, { !$0.isNumber }, as: .spaceBeforeEach)
        // (\p{S}) -> ' \1 '
        .padding { $0.isSymbol }
    return collapsingWhitespace(text)
}

/// `TokenizerZh`: strip, pad each "Chinese" code point with spaces, then the 13a rules.
private func chineseTokenized(_ line: Scalars) -> Scalars {
    westernRulesTokenized(pythonStripped(line).padding(isChineseCharacter))
}

/// The code points `TokenizerZh._is_chinese_char` accepts.
///
/// sacrebleu compares one-code-point strings against its range bounds. Two bounds are written
/// `'\u20000'` and `'\u2f800'`, which Python reads as two-code-point strings (`'\u2000' + '0'`),
/// so those ranges really are U+2001...U+2A6D and U+2F81...U+2FA1 (the latter lies inside the
/// Kangxi range). The first includes general punctuation, currency symbols and arrows; it is
/// reproduced here because it changes scores. Overlapping ranges are merged.
private let chineseRanges: [ClosedRange<UInt32>] = [
    0x2001...0x2A6D, 0x2E80...0x2FDF, 0x2FF0...0x303F, 0x3100...0x312F, 0x31A0...0x31EF,
    0x3200...0x4DB5, 0x4E00...0x9FBB, 0xF900...0xFA2D, 0xFA30...0xFA6A, 0xFA70...0xFAD9,
    0xFE10...0xFE1F, 0xFE30...0xFE4F, 0xFF00...0xFFEF,
]

private func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
    chineseRanges.contains { $0.contains(scalar.value) }
}
