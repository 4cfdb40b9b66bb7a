// The few `re.sub` shapes that the sacrebleu tokenizers use, over code points.
//
// Every pattern there is either a literal string, one character class, or two character
// classes in a row. `re.sub` replaces leftmost, non-overlapping matches while scanning forward,
// so a matched pair is consumed whole and its second character cannot start the next match.

/// Where spaces go when a two-class pattern such as `([^0-9])([\.,])` matches.
enum PairReplacement {
    /// `r'\1 \2 '`: a space after each of the two characters.
    case spaceAfterEach
    /// `r' \1 \2'`: a space before each of the two characters.
    case spaceBeforeEach
}

extension Array where Element == Unicode.Scalar {
    /// `re.sub(r'(X)(Y)', replacement, text)` for single-character classes `X` and `Y`.
    func separatingPairs(
        _ first: (Unicode.Scalar) -> Bool, _ second: (Unicode.Scalar) -> Bool,
        as replacement: PairReplacement
    ) -> Scalars {
        var result = Scalars()
        result.reserveCapacity(count + count / 2)
        var index = 0
        while index < count {
            if index + 1 < count, first(self[index]), second(self[index + 1]) {
                switch replacement {
                case .spaceAfterEach:
                    result += [self[index], " ", self[index + 1], " "]
                case .spaceBeforeEach:
                    result += [" ", self[index], " ", self[index + 1]]
                }
                index += 2
            } else {
                result.append(self[index])
                index += 1
            }
        }
        return result
    }

    /// `re.sub(r'(X)', r' \1 ', text)`: surrounds every character of class `X` with spaces.
    func padding(_ matches: (Unicode.Scalar) -> Bool) -> Scalars {
        var result = Scalars()
        result.reserveCapacity(count + count / 2)
        for scalar in self {
            if matches(scalar) {
                result += [" ", scalar, " "]
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    /// Python's `str.replace(old, new)`: leftmost, non-overlapping occurrences of `old`.
    func replacing(_ old: String, with new: String) -> Scalars {
        let pattern = scalars(of: old)
        guard !pattern.isEmpty, count >= pattern.count else { return self }
        let replacement = scalars(of: new)
        var result = Scalars()
        result.reserveCapacity(count)
        var index = 0
        while index < count {
            if index + pattern.count <= count,
                self[index..<index + pattern.count].elementsEqual(pattern)
            {
                result += replacement
                index += pattern.count
            } else {
                result.append(self[index])
                index += 1
            }
        }
        return result
    }

    /// Whether `text` occurs in the array as a contiguous run of code points.
    func contains(_ text: String) -> Bool {
        let pattern = scalars(of: text)
        guard !pattern.isEmpty, count >= pattern.count else { return pattern.isEmpty }
        return (0...(count - pattern.count)).contains {
            self[$0..<$0 + pattern.count].elementsEqual(pattern)
        }
    }
}
