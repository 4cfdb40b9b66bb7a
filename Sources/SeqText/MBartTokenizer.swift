import Foundation

/// The tokenizer of mBART models: a SentencePiece model (`sentencepiece.bpe.model`) with
/// fairseq's ids, followed by language codes and `<mask>`.
///
/// As Hugging Face's `MBartTokenizer` (transformers 4.46): with `P` pieces, `<s>` is 0, `<pad>`
/// 1, `</s>` 2, `<unk>` 3, SentencePiece piece `i ≥ 1` is id `i + 1` (its own `<unk>`, 0,
/// becomes 3), the 25 codes of `languageCodes` follow as ids `P + 1 …`, and `<mask>` is
/// `P + 26`. A source is `encode(text) + [</s>, source language code]`
/// (`sourceSuffix(language:)`); a translation starts with `</s>` and then the target language
/// code, forced as the first generated token (the translation pipeline's
/// `forced_bos_token_id`). `encode` keeps special tokens and language codes written in the
/// text as single ids, as Hugging Face's added tokens.
public struct MBartTokenizer: Tokenizer {
    /// fairseq's language codes of mBART (`FAIRSEQ_LANGUAGE_CODES`), in id order.
    public static let languageCodes = [
        "ar_AR", "cs_CZ", "de_DE", "en_XX", "es_XX", "et_EE", "fi_FI", "fr_XX", "gu_IN",
        "hi_IN", "it_IT", "ja_XX", "kk_KZ", "ko_KR", "lt_LT", "lv_LV", "my_MM", "ne_NP",
        "nl_XX", "ro_RO", "ru_RU", "si_LK", "tr_TR", "vi_VN", "zh_CN",
    ]
    /// The file name of the SentencePiece model in Hugging Face checkpoints.
    public static let modelFile = "sentencepiece.bpe.model"
    /// How far SentencePiece ids are shifted (`fairseq_offset`).
    private static let offset: Int32 = 1

    /// The SentencePiece model.
    public let model: SentencePieceTokenizer
    /// The number of ids of the model that uses the tokenizer, at least `P + 27`.
    public let vocabularySize: Int
    /// `<pad>`: 1.
    public var padID: Int32? { 1 }
    /// `<s>`: 0.
    public var startID: Int32? { 0 }
    /// `</s>`: 2.
    public var endID: Int32? { 2 }
    /// `<unk>`: 3.
    public var unknownID: Int32? { 3 }
    /// `<mask>`: `P + 26`.
    public var maskID: Int32 {
        Int32(model.vocabularySize + Self.languageCodes.count) + Self.offset
    }

    /// The special tokens `encode` recognises in text, with their ids.
    private let specialIDs: [String: Int32]

    /// Creates the tokenizer.
    ///
    /// - Parameters:
    ///   - model: The SentencePiece model.
    ///   - vocabularySize: The model's vocabulary size, or `nil` for exactly `P + 27`.
    public init(model: SentencePieceTokenizer, vocabularySize: Int? = nil) {
        let base = model.vocabularySize + Self.languageCodes.count + 2
        precondition(
            (vocabularySize ?? base) >= base,
            "MBartTokenizer: a vocabulary of \(vocabularySize ?? base) for \(model.vocabularySize) "
                + "pieces, 25 language codes and <mask>")
        self.model = model
        self.vocabularySize = vocabularySize ?? base
        var specialIDs: [String: Int32] = ["<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3]
        for (index, code) in Self.languageCodes.enumerated() {
            specialIDs[code] = Int32(model.vocabularySize + index) + Self.offset
        }
        specialIDs["<mask>"] = Int32(model.vocabularySize + Self.languageCodes.count) + Self.offset
        self.specialIDs = specialIDs
    }

    /// The id of language code `code` (such as `ro_RO`), or `nil` if it is not one.
    public func languageID(_ code: String) -> Int32? {
        Self.languageCodes.contains(code) ? specialIDs[code] : nil
    }

    /// What follows a source's ids: `</s>` and the id of `language`, or `nil` for an unknown
    /// language code.
    public func sourceSuffix(language: String) -> [Int32]? {
        languageID(language).map { [2, $0] }
    }

    /// The ids of `text`'s pieces: special tokens and language codes written in the text
    /// become their ids, the rest is encoded by SentencePiece; no end token or language code.
    public func encode(_ text: String) -> [Int32] {
        segments(of: text).flatMap { segment -> [Int32] in
            switch segment {
            case .special(let token): return [specialIDs[token] ?? 3]
            case .text(let part):
                return model.encode(part).map { $0 == 0 ? 3 : $0 + Self.offset }
            }
        }
    }

    /// The pieces of `text`, one per id of `encode(text)`.
    public func pieces(_ text: String) -> [String] {
        segments(of: text).flatMap { segment in
            switch segment {
            case .special(let token): [token]
            case .text(let part): model.pieces(part)
            }
        }
    }

    /// The text of `ids`, skipping every special token (`<s>`, `<pad>`, `</s>`, `<unk>`,
    /// language codes, `<mask>`) and ids past `<mask>`, as Hugging Face's
    /// `decode(skip_special_tokens=True)`: the pieces joined, `▁` read as a space, the ends
    /// trimmed.
    ///
    /// Traps on an id outside `0..<vocabularySize`.
    public func decode(_ ids: [Int32]) -> String {
        checkDecodable(ids, type: "MBartTokenizer")
        var text = ""
        for id in ids where id > 3 && Int(id - Self.offset) < model.vocabularySize {
            text += model.piece(of: id - Self.offset) ?? ""
        }
        return text.replacingOccurrences(of: "\u{2581}", with: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private enum Segment {
        case text(String)
        case special(String)
    }

    /// `text` split around the special tokens written in it, the longest match first.
    private func segments(of text: String) -> [Segment] {
        let tokens = specialIDs.keys.sorted { $0.count > $1.count }
        var segments: [Segment] = []
        var pending = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            if let token = tokens.first(where: { rest.hasPrefix($0) }) {
                if !pending.isEmpty { segments.append(.text(pending)) }
                segments.append(.special(token))
                pending = ""
                rest = rest.dropFirst(token.count)
            } else {
                pending.append(rest.removeFirst())
            }
        }
        if !pending.isEmpty { segments.append(.text(pending)) }
        return segments
    }
}
