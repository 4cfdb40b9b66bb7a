/// Turns text into token ids and back.
///
/// `encode` returns the ids of the text's pieces only: it adds no start or end token, so callers
/// decide where `startID` and `endID` go. `decode` skips the pad, start and end tokens. Decoding
/// an id outside `0..<vocabularySize` is a programming error and traps, naming the id.
public protocol Tokenizer: Sendable {
    /// The number of ids: every id is in `0..<vocabularySize`.
    var vocabularySize: Int { get }

    /// The padding id, or `nil` when the vocabulary has none.
    var padID: Int32? { get }

    /// The start-of-sequence (BOS) id, or `nil` when the vocabulary has none.
    var startID: Int32? { get }

    /// The end-of-sequence (EOS) id, or `nil` when the vocabulary has none.
    var endID: Int32? { get }

    /// The id of text outside the vocabulary, or `nil` when the vocabulary has none.
    var unknownID: Int32? { get }

    /// The ids of `text`'s pieces, without start or end tokens.
    func encode(_ text: String) -> [Int32]

    /// The text of `ids`, skipping pad, start and end tokens.
    func decode(_ ids: [Int32]) -> String

    /// The pieces `text` is split into, as they appear in the text (one per id of `encode`).
    func pieces(_ text: String) -> [String]
}

extension Tokenizer {
    /// Traps unless every id is in `0..<vocabularySize`; `type` names the tokenizer.
    func checkDecodable(_ ids: [Int32], type: String) {
        for id in ids {
            precondition(
                id >= 0 && Int(id) < vocabularySize,
                "\(type).decode: id \(id) is outside the vocabulary (size \(vocabularySize))")
        }
    }
}
