import Foundation

/// The tokenizer of T5 models: a SentencePiece model whose piece ids are the model's ids,
/// followed by sentinel tokens `<extra_id_0>`, `<extra_id_1>`, … counting down from the top.
///
/// As Hugging Face's `T5Tokenizer` (transformers 4.46, `legacy=True`): with `P` pieces and
/// `E` extra ids, `<extra_id_i>` is id `P + E − 1 − i`; `encode` splits the text around
/// sentinels written in it and encodes each part with SentencePiece. The model's vocabulary
/// may be larger than `P + E` (T5 pads it to a multiple of 128); those ids decode to nothing.
public struct T5Tokenizer: Tokenizer {
    /// The SentencePiece model (`spiece.model`).
    public let model: SentencePieceTokenizer
    /// The number `E` of sentinel tokens.
    public let extraIDCount: Int
    /// The number of ids of the model that uses the tokenizer, at least `P + E`.
    public let vocabularySize: Int

    /// The id of `<pad>` (0 in T5).
    public var padID: Int32? { model.padID }
    /// T5 has no start token: `nil` (decoding starts from `<pad>`).
    public var startID: Int32? { nil }
    /// The id of `</s>` (1 in T5).
    public var endID: Int32? { model.endID }
    /// The id of `<unk>` (2 in T5).
    public var unknownID: Int32? { model.unknownID }

    /// Creates the tokenizer.
    ///
    /// - Parameters:
    ///   - model: The SentencePiece model.
    ///   - extraIDCount: The number of sentinels (`extra_ids`; 100 in the released models).
    ///   - vocabularySize: The model's vocabulary size, or `nil` for exactly `P + E`.
    public init(model: SentencePieceTokenizer, extraIDCount: Int, vocabularySize: Int? = nil) {
        let base = model.vocabularySize + extraIDCount
        precondition(
            extraIDCount >= 0 && (vocabularySize ?? base) >= base,
            "T5Tokenizer: \(extraIDCount) extra ids and a vocabulary of \(vocabularySize ?? base) "
                + "for \(model.vocabularySize) pieces")
        self.model = model
        self.extraIDCount = extraIDCount
        self.vocabularySize = vocabularySize ?? base
    }

    /// The id of `<extra_id_index>`.
    public func sentinelID(_ index: Int) -> Int32 {
        precondition(
            (0..<extraIDCount).contains(index),
            "T5Tokenizer: <extra_id_\(index)> outside 0..<\(extraIDCount)")
        return Int32(model.vocabularySize + extraIDCount - 1 - index)
    }

    /// The ids of `text`: sentinels written as `<extra_id_i>` become their ids, every other
    /// part is encoded by SentencePiece; no end token.
    public func encode(_ text: String) -> [Int32] {
        segments(of: text).flatMap { segment in
            switch segment {
            case .sentinel(let index): [sentinelID(index)]
            case .text(let part): model.encode(part)
            }
        }
    }

    /// The pieces of `text`, one per id of `encode(text)`.
    public func pieces(_ text: String) -> [String] {
        segments(of: text).flatMap { segment in
            switch segment {
            case .sentinel(let index): ["<extra_id_\(index)>"]
            case .text(let part): model.pieces(part)
            }
        }
    }

    /// The text of `ids`, skipping pad, end, sentinels and ids past the SentencePiece model.
    ///
    /// Traps on an id outside `0..<vocabularySize`.
    public func decode(_ ids: [Int32]) -> String {
        checkDecodable(ids, type: "T5Tokenizer")
        let kept = ids.filter {
            Int($0) < model.vocabularySize && $0 != model.padID && $0 != model.endID
        }
        return model.decode(kept)
    }

    private enum Segment {
        case text(String)
        case sentinel(Int)
    }

    /// `text` split around the sentinels `<extra_id_i>` with `i < extraIDCount`.
    private func segments(of text: String) -> [Segment] {
        var segments: [Segment] = []
        var pending = ""
        var rest = Substring(text)
        while let open = rest.range(of: "<extra_id_") {
            let digits = rest[open.upperBound...].prefix(while: \.isASCII).prefix(while: \.isNumber)
            let close = digits.endIndex
            guard let index = Int(digits), index < extraIDCount, close < rest.endIndex,
                rest[close] == ">"
            else {
                pending += rest[..<open.upperBound]
                rest = rest[open.upperBound...]
                continue
            }
            segments.append(.text(pending + rest[..<open.lowerBound]))
            segments.append(.sentinel(index))
            pending = ""
            rest = rest[rest.index(after: close)...]
        }
        segments.append(.text(pending + rest))
        // Empty parts encode to nothing; dropping them keeps `pieces` and `encode` aligned.
        return segments.filter {
            if case .text(let part) = $0 { return !part.isEmpty }
            return true
        }
    }
}
