import Foundation

/// The tokenizer of Marian (OPUS-MT) translation models: two SentencePiece models, one per
/// language, whose pieces map to ids through one shared `vocab.json`.
///
/// As Hugging Face's `MarianTokenizer` (transformers 4.46): `encode` splits source text with
/// the source model (a leading language code such as `>>de<<` stays one piece) and looks each
/// piece up in the vocabulary, unknown pieces becoming `<unk>`; `decode` maps target ids back
/// to pieces and joins them as the target model does. The ids are the vocabulary's, not the
/// SentencePiece models' own piece ids.
///
/// ```swift
/// let tokenizer = try MarianTokenizer(source: sourceData, target: targetData, vocabulary: json)
/// let ids = tokenizer.encode("Hello world.") + [tokenizer.endID ?? 0]
/// ```
public struct MarianTokenizer: Tokenizer {
    /// The usual file name of the source model.
    public static let sourceFile = "source.spm"
    /// The usual file name of the target model.
    public static let targetFile = "target.spm"
    /// The usual file name of the piece ids.
    public static let vocabularyFile = "vocab.json"

    /// The SentencePiece model of the source language (`source.spm`).
    public let source: SentencePieceTokenizer
    /// The SentencePiece model of the target language (`target.spm`).
    public let target: SentencePieceTokenizer
    /// The id of each piece (`vocab.json`).
    public let ids: [String: Int32]
    private let pieceByID: [Int32: String]

    /// The number of ids: one more than the largest id of the vocabulary.
    public let vocabularySize: Int
    /// The id of `<pad>`.
    public let padID: Int32?
    /// Marian has no start token: `nil`.
    public let startID: Int32? = nil
    /// The id of `</s>`.
    public let endID: Int32?
    /// The id of `<unk>`.
    public let unknownID: Int32?

    /// Creates the tokenizer from the bytes of `source.spm`, `target.spm` and `vocab.json`.
    ///
    /// - Throws: `TokenizerError` (`.corruptModel`) naming the file that is not a valid
    ///   SentencePiece model or piece-to-id JSON object, or a vocabulary without `<unk>`,
    ///   `</s>` and `<pad>`.
    public init(source: Data, target: Data, vocabulary: Data) throws {
        let sourceModel = try loadSentencePiece(source, file: Self.sourceFile)
        let targetModel = try loadSentencePiece(target, file: Self.targetFile)
        let ids: [String: Int32]
        do {
            ids = try JSONDecoder().decode([String: Int32].self, from: vocabulary)
        } catch {
            throw TokenizerError(
                kind: .corruptModel, file: Self.vocabularyFile,
                detail: "not a JSON object of piece ids (\(error))")
        }
        try self.init(source: sourceModel, target: targetModel, ids: ids)
    }

    /// Creates the tokenizer from loaded SentencePiece models and the piece ids.
    ///
    /// - Throws: `TokenizerError` (`.corruptModel`) when `ids` lacks `<unk>`, `</s>` or
    ///   `<pad>`, or holds a negative id.
    public init(
        source: SentencePieceTokenizer, target: SentencePieceTokenizer, ids: [String: Int32]
    ) throws {
        for special in ["<unk>", "</s>", "<pad>"] where ids[special] == nil {
            throw TokenizerError(
                kind: .corruptModel, file: Self.vocabularyFile, detail: "has no `\(special)` entry")
        }
        guard let largest = ids.values.max(), ids.values.allSatisfy({ $0 >= 0 }) else {
            throw TokenizerError(
                kind: .corruptModel, file: Self.vocabularyFile, detail: "holds a negative id")
        }
        self.source = source
        self.target = target
        self.ids = ids
        var pieceByID: [Int32: String] = [:]
        for (piece, id) in ids where pieceByID[id].map({ piece < $0 }) ?? true {
            pieceByID[id] = piece
        }
        self.pieceByID = pieceByID
        vocabularySize = Int(largest) + 1
        padID = ids["<pad>"]
        endID = ids["</s>"]
        unknownID = ids["<unk>"]
    }

    /// The source pieces of `text`: a leading language code (`>>xx<<`) as one piece, then the
    /// source model's pieces of the rest.
    public func pieces(_ text: String) -> [String] {
        let (code, rest) = Self.splitLanguageCode(text)
        return (code.map { [$0] } ?? []) + source.pieces(rest)
    }

    /// The vocabulary ids of `pieces(text)`, unknown pieces as `<unk>`; no end token.
    public func encode(_ text: String) -> [Int32] {
        let unknown = unknownID ?? 0
        return pieces(text).map { ids[$0] ?? unknown }
    }

    /// The vocabulary ids of target text `text`, split by the target model (Hugging Face's
    /// `text_target`), for teacher forcing; no end token.
    public func encode(target text: String) -> [Int32] {
        let unknown = unknownID ?? 0
        let (code, rest) = Self.splitLanguageCode(text)
        return ((code.map { [$0] } ?? []) + target.pieces(rest)).map { ids[$0] ?? unknown }
    }

    /// The target text of `ids`, skipping `<pad>` and `</s>`.
    ///
    /// Pieces are joined and `▁` becomes a space, as SentencePiece decodes pieces; byte
    /// pieces (`<0xE2>`) become their bytes. Traps on an id outside `0..<vocabularySize`.
    public func decode(_ ids: [Int32]) -> String {
        checkDecodable(ids, type: "MarianTokenizer")
        var bytes: [UInt8] = []
        for id in ids where id != padID && id != endID {
            let piece = pieceByID[id] ?? "<unk>"
            if let byte = Self.byteValue(of: piece) {
                bytes.append(byte)
            } else {
                bytes += Array(piece.replacingOccurrences(of: "\u{2581}", with: " ").utf8)
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The piece of `id`, or `nil` when the vocabulary has none.
    public func piece(of id: Int32) -> String? { pieceByID[id] }

    /// Splits a leading `>>…<<` language code off `text`, as Hugging Face's
    /// `language_code_re` (`>>.+<<`, greedy, anchored at the start) does.
    static func splitLanguageCode(_ text: String) -> (code: String?, rest: String) {
        guard text.hasPrefix(">>"),
            let close = text.range(of: "<<", options: .backwards),
            close.lowerBound > text.index(text.startIndex, offsetBy: 2)
        else { return (nil, text) }
        // `.` does not match a newline: the code must sit on the first line.
        let code = String(text[..<close.upperBound])
        guard !code.contains("\n") else { return (nil, text) }
        return (code, String(text[close.upperBound...]))
    }

    /// The byte of a SentencePiece byte piece such as `<0xE2>`, or `nil`.
    private static func byteValue(of piece: String) -> UInt8? {
        guard piece.count == 6, piece.hasPrefix("<0x"), piece.hasSuffix(">") else { return nil }
        return UInt8(piece.dropFirst(3).dropLast(), radix: 16)
    }
}

/// The SentencePiece model in `bytes`; errors name `file`.
private func loadSentencePiece(_ bytes: Data, file: String) throws -> SentencePieceTokenizer {
    do {
        return try SentencePieceTokenizer(serialized: bytes)
    } catch let error as TokenizerError {
        throw TokenizerError(kind: error.kind, file: file, detail: error.detail)
    }
}
