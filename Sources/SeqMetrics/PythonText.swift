// Text operations with the semantics of Python 3 `str`, which sacrebleu is written against.
//
// A Python string is a sequence of code points: `len`, slicing, `==` and hashing all work on
// code points, never on grapheme clusters, and never with canonical equivalence. Swift's
// `String` compares canonically equivalent strings as equal and iterates graphemes, so the
// metrics work on `[Unicode.Scalar]` instead and only convert back to `String` at the edges.

/// A text as sacrebleu sees it: a sequence of code points.
typealias Scalars = [Unicode.Scalar]

extension Unicode.Scalar {
    /// Whether Python's `str.isspace()` holds: bidirectional class WS, B or S, or category Zs.
    ///
    /// This is the separator set of `str.split()` and `str.strip()` (Python 3.11, Unicode 14).
    var isPythonWhitespace: Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029,
            0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar is in general category P (`\p{P}` of Python's `regex` module).
    var isPunctuation: Bool {
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar is in general category S (`\p{S}`).
    var isSymbol: Bool {
        switch properties.generalCategory {
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar is in general category N (`\p{N}`).
    var isNumber: Bool {
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar is one of the ASCII digits `0-9` (the `[0-9]` class of Python's `re`).
    var isASCIIDigit: Bool { (0x30...0x39).contains(value) }
}

/// The code points of `text`, unnormalised.
func scalars(of text: String) -> Scalars { Array(text.unicodeScalars) }

/// A `String` holding exactly `scalars`.
func string(from scalars: some Sequence<Unicode.Scalar>) -> String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
}

/// Python's `str.lower()`: full Unicode lowercase mappings plus the Final_Sigma rule.
///
/// U+03A3 (Σ) becomes ς when a cased letter precedes it and none follows it (case-ignorable
/// code points in between are skipped), and σ otherwise, as in CPython's `handle_capital_sigma`.
func pythonLowercased(_ text: Scalars) -> Scalars {
    var result = Scalars()
    result.reserveCapacity(text.count)
    for (index, scalar) in text.enumerated() {
        if scalar.value == 0x03A3 {
            result.append(isFinalSigma(at: index, in: text) ? "\u{03C2}" : "\u{03C3}")
        } else {
            result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
    }
    return result
}

private func isFinalSigma(at index: Int, in text: Scalars) -> Bool {
    let before = text[..<index].last { !$0.properties.isCaseIgnorable }
    guard let before, before.properties.isCased else { return false }
    let after = text[(index + 1)...].first { !$0.properties.isCaseIgnorable }
    return !(after?.properties.isCased ?? false)
}

/// Python's `str.split()` with no arguments: runs of whitespace separate, edges are dropped.
func pythonSplit(_ text: Scalars) -> [Scalars] {
    var words: [Scalars] = []
    var current = Scalars()
    for scalar in text {
        if scalar.isPythonWhitespace {
            if !current.isEmpty {
                words.append(current)
                current.removeAll(keepingCapacity: true)
            }
        } else {
            current.append(scalar)
        }
    }
    if !current.isEmpty { words.append(current) }
    return words
}

/// Python's `' '.join(text.split())`: whitespace runs collapse to one space, edges trimmed.
func collapsingWhitespace(_ text: Scalars) -> Scalars {
    Array(pythonSplit(text).joined(separator: [" "]))
}

/// Python's `str.rstrip()` with no arguments.
func pythonRightStripped(_ text: Scalars) -> Scalars {
    guard let last = text.lastIndex(where: { !$0.isPythonWhitespace }) else { return [] }
    return Array(text[...last])
}

/// Python's `str.strip()` with no arguments.
func pythonStripped(_ text: Scalars) -> Scalars {
    guard let first = text.firstIndex(where: { !$0.isPythonWhitespace }) else { return [] }
    return Array(pythonRightStripped(Array(text[first...])))
}
