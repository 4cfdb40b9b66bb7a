import Foundation

/// GPT-2's byte-level BPE, as BART uses it: `vocab.json` (token → id) and `merges.txt` (the
/// merge rules, best first).
///
/// As Hugging Face's `BartTokenizer` / `GPT2Tokenizer` (transformers 4.46, `add_prefix_space`
/// off): text is split by GPT-2's pattern (contractions, letter runs, digit runs, other
/// symbols, each with at most one leading space, and whitespace runs), each chunk's UTF-8
/// bytes become printable characters (GPT-2's `bytes_to_unicode`), and the merges are applied
/// lowest rank first. `encode` puts `<s>` before the pieces, because BART's sources start with
/// it (callers add `</s>` as for every tokenizer); `decode` maps the pieces back to bytes.
/// Special tokens written in the text (`<mask>`) are not recognised.
public struct ByteLevelBPETokenizer: Tokenizer {
    /// The usual file name of the token ids.
    public static let vocabularyFile = "vocab.json"
    /// The usual file name of the merge rules.
    public static let mergesFile = "merges.txt"

    /// The id of each token.
    public let ids: [String: Int32]
    private let tokenByID: [Int32: String]
    private let ranks: [Pair: Int]
    private let specialIDs: Set<Int32>

    /// One more than the largest id.
    public let vocabularySize: Int
    /// The id of `<pad>`, if any.
    public let padID: Int32?
    /// The id of `<s>`, put before every encoded text.
    public let startID: Int32?
    /// The id of `</s>`.
    public let endID: Int32?
    /// The id of `<unk>`, if any.
    public let unknownID: Int32?

    private struct Pair: Hashable {
        var first: String
        var second: String
    }

    /// Creates the tokenizer from the bytes of `vocab.json` and `merges.txt`.
    ///
    /// - Throws: `TokenizerError` (`.corruptModel`) naming the file that is malformed, or a
    ///   vocabulary without `<s>` and `</s>`.
    public init(vocabulary: Data, merges: Data) throws {
        let ids: [String: Int32]
        do {
            ids = try JSONDecoder().decode([String: Int32].self, from: vocabulary)
        } catch {
            throw TokenizerError(
                kind: .corruptModel, file: Self.vocabularyFile,
                detail: "not a JSON object of token ids (\(error))")
        }
        guard let start = ids["<s>"], let end = ids["</s>"],
            let largest = ids.values.max(), ids.values.allSatisfy({ $0 >= 0 })
        else {
            throw TokenizerError(
                kind: .corruptModel, file: Self.vocabularyFile,
                detail: "needs `<s>` and `</s>` and non-negative ids")
        }
        var ranks: [Pair: Int] = [:]
        let lines = String(decoding: merges, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            if line.hasPrefix("#version") || line.isEmpty { continue }
            let parts = line.split(separator: " ")
            guard parts.count == 2 else {
                throw TokenizerError(
                    kind: .corruptModel, file: Self.mergesFile,
                    detail: "line \(number + 1) is not two tokens separated by a space")
            }
            let pair = Pair(first: String(parts[0]), second: String(parts[1]))
            if ranks[pair] == nil { ranks[pair] = ranks.count }
        }
        self.ids = ids
        var tokenByID: [Int32: String] = [:]
        for (token, id) in ids where tokenByID[id].map({ token < $0 }) ?? true {
            tokenByID[id] = token
        }
        self.tokenByID = tokenByID
        self.ranks = ranks
        vocabularySize = Int(largest) + 1
        startID = start
        endID = end
        padID = ids["<pad>"]
        unknownID = ids["<unk>"]
        specialIDs = Set(["<s>", "</s>", "<pad>", "<unk>", "<mask>"].compactMap { ids[$0] })
    }

    /// `<s>` followed by the BPE tokens of `text`, one per id of `encode(text)`.
    public func pieces(_ text: String) -> [String] {
        var pieces = ["<s>"]
        for match in text.matches(of: gpt2Pattern) {
            let chunk = Substring(text.unicodeScalars[match.range])
            pieces += bytePairs(String(chunk.utf8.map { byteCharacter[Int($0)] }))
        }
        return pieces
    }

    /// `<s>` and the ids of `text`'s tokens (unknown tokens as `<unk>`); no end token.
    public func encode(_ text: String) -> [Int32] {
        pieces(text).map { ids[$0] ?? unknownID ?? 0 }
    }

    /// The text of `ids`, skipping the special tokens (`<s>`, `</s>`, `<pad>`, `<unk>`,
    /// `<mask>`) as Hugging Face's `skip_special_tokens`; invalid UTF-8 becomes U+FFFD.
    ///
    /// Traps on an id outside `0..<vocabularySize`.
    public func decode(_ ids: [Int32]) -> String {
        checkDecodable(ids, type: "ByteLevelBPETokenizer")
        var bytes: [UInt8] = []
        for id in ids where !specialIDs.contains(id) {
            for character in tokenByID[id] ?? "" {
                if let byte = characterByte[character] {
                    bytes.append(byte)
                } else {
                    bytes += Array(String(character).utf8)
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The BPE tokens of one pre-tokenised chunk, written in byte characters.
    private func bytePairs(_ chunk: String) -> [String] {
        var word = chunk.map(String.init)
        while word.count > 1 {
            var best: (rank: Int, index: Int)?
            for index in 0..<(word.count - 1) {
                if let rank = ranks[Pair(first: word[index], second: word[index + 1])],
                    rank < best?.rank ?? .max
                {
                    best = (rank, index)
                }
            }
            guard let best else { break }
            let (first, second) = (word[best.index], word[best.index + 1])
            // Merge every occurrence of the pair, left to right, as GPT-2's `bpe` does.
            var merged: [String] = []
            var index = 0
            while index < word.count {
                if index + 1 < word.count && word[index] == first && word[index + 1] == second {
                    merged.append(first + second)
                    index += 2
                } else {
                    merged.append(word[index])
                    index += 1
                }
            }
            word = merged
        }
        return word
    }
}

/// GPT-2's pre-tokenisation pattern, matched on Unicode scalars as Python's `regex` does.
nonisolated(unsafe) private let gpt2Pattern: Regex<AnyRegexOutput> = {
    let source = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    do {
        return try Regex(source).matchingSemantics(.unicodeScalar)
    } catch {
        preconditionFailure("ByteLevelBPETokenizer: invalid pattern (\(error))")
    }
}()

/// GPT-2's `bytes_to_unicode`: printable bytes stand for themselves, the others for the
/// characters from U+0100 on, in byte order.
private let byteCharacter: [Character] = {
    let printable = Set(Array(33...126) + Array(161...172) + Array(174...255))
    var next = 256
    return (0..<256).map { byte in
        if printable.contains(byte) {
            return Character(Unicode.Scalar(UInt8(byte)))
        }
        defer { next += 1 }
        return Unicode.Scalar(UInt32(next)).map(Character.init) ?? " "
    }
}()

/// The byte of each character of `byteCharacter`.
private let characterByte: [Character: UInt8] = Dictionary(
    uniqueKeysWithValues: byteCharacter.enumerated().map { ($0.element, UInt8($0.offset)) })
