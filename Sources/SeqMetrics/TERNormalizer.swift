/// sacrebleu's `TercomTokenizer`: turns a line into the words that TER aligns.
///
/// A port of tercom's `Normalizer.java` as sacrebleu 2.6.0 has it: lowercase unless case
/// sensitive; if normalised, join lines, unescape XML entities, split ASCII punctuation,
/// possessive `'s`, and `.`/`,` outside numbers (and, with Asian support, CJK code points);
/// if punctuation is removed, delete `.,?:;!"()` (and CJK/full-width punctuation).
struct TERNormalizer: Sendable {
    /// Apply tercom's normalisation and tokenisation.
    var normalized: Bool
    /// Remove punctuation.
    var noPunctuation: Bool
    /// Split and remove CJK code points and punctuation too.
    var asianSupport: Bool
    /// Keep case.
    var caseSensitive: Bool

    /// The words of `line`, after right-stripping and normalising.
    func words(of line: String) -> [Scalars] {
        var text = pythonRightStripped(scalars(of: line))
        guard !text.isEmpty else { return [] }
        if !caseSensitive { text = pythonLowercased(text) }
        if normalized {
            text = generalAndWesternNormalized(text)
            if asianSupport { text = text.padding(isAsianSplitCharacter) }
        }
        if noPunctuation {
            text.removeAll(where: isTercomPunctuation)
            if asianSupport { text.removeAll(where: isAsianPunctuation) }
        }
        return pythonSplit(text)
    }
}

/// `_normalize_general_and_western`.
private func generalAndWesternNormalized(_ line: Scalars) -> Scalars {
    let text = line.replacing("\n-", with: "")
        .replacing("\n", with: " ")
        .replacing("&quot;", with: "\"")
        .replacing("&amp;", with: "&")
        .replacing("&lt;", with: "<")
        .replacing("&gt;", with: ">")
    // The `'s$ -> ' 's'` rule never fires: the padded text always ends with a space.
    return ([" "] + text + [" "])
        .padding(isWesternPunctuation)
        .replacing("'s ", with: " 's ")
        .separatingPairs({ !$0.isASCIIDigit }, isPeriodOrComma, as: .spaceAfterEach)
        .separatingPairs(isPeriodOrComma, { !$0.isASCIIDigit }, as: .spaceBeforeEach)
        .separatingPairs({ $0.isASCIIDigit }, { $0 == "-" }, as: .spaceAfterEach)
}

/// The code points `_normalize_asian` surrounds with spaces.
///
/// sacrebleu pads each class in its own `re.sub`; padding only inserts spaces, which are
/// collapsed afterwards, so padding their union once gives the same words. Its three
/// Hiragana/Katakana rules are anchored with `^` at the start of the text and need the whole
/// text to be kana; the text always starts with the space added by the general normalisation,
/// so they never fire and are left out.
private func isAsianSplitCharacter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF,  // CJK Unified Ideographs and Extension A
        0x31C0...0x31EF, 0x2E80...0x2EFF,  // CJK strokes, radicals supplement
        0x3300...0x33FF, 0xF900...0xFAFF, 0xFE30...0xFE4F,  // compatibility blocks
        0x3200...0x3F22:  // enclosed CJK letters and months (sacrebleu's range)
        return true
    default:
        return isAsianPunctuation(scalar)
    }
}

/// `ASIAN_PUNCT` and `FULL_WIDTH_PUNCT` of the tercom tokenizer.
private func isAsianPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x3001, 0x3002, 0x3008...0x3011, 0x3014...0x301F, 0xFF61...0xFF65, 0x30FB,
        0xFF0E, 0xFF0C, 0xFF1F, 0xFF1A, 0xFF1B, 0xFF01, 0xFF02, 0xFF08, 0xFF09:
        return true
    default:
        return false
    }
}

/// `[\.,\?:;!\"\(\)]`, what `_remove_punct` deletes.
private func isTercomPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case ".", ",", "?", ":", ";", "!", "\"", "(", ")": return true
    default: return false
    }
}
