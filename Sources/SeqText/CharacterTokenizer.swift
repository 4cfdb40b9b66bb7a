import Foundation

/// One token per character, where a character is a Swift `Character`: an extended grapheme
/// cluster, what a reader sees as one letter.
///
/// Grapheme clusters rather than Unicode scalars, so `"é"` written with a combining accent, a
/// flag or a family emoji is one token and a model never has to emit half a letter. The cost is
/// a larger vocabulary for scripts with many combinations; unseen ones become `<unk>`. Spaces are
/// characters like any other. Ids: `<pad>` 0, `<s>` 1, `</s>` 2, `<unk>` 3, then the characters.
/// `Codable`, so it can be saved next to a model.
public struct CharacterTokenizer: Tokenizer, Codable, Hashable {
    /// The characters and the special tokens.
    public let vocabulary: Vocabulary

    /// A tokenizer over `vocabulary`, whose tokens are single characters.
    public init(vocabulary: Vocabulary) { self.vocabulary = vocabulary }

    /// A tokenizer over the characters of `corpus` seen at least `minFrequency` times, the
    /// most frequent first, at most `maxVocabularySize` ids in all (specials included).
    public init(
        corpus: some Sequence<String>, minFrequency: Int = 1, maxVocabularySize: Int? = nil
    ) {
        vocabulary = Vocabulary(
            counting: corpus.lazy.flatMap { $0 }.map { String($0) },
            minFrequency: minFrequency, maxSize: maxVocabularySize)
    }

    /// Loads a tokenizer saved with `write(to:)`; the error names the file.
    public init(contentsOf url: URL) throws { self = try loadJSON(Self.self, from: url) }

    /// Saves the tokenizer as JSON, through a temporary file.
    public func write(to url: URL) throws { try writeJSON(self, to: url) }

    /// The number of ids, specials included.
    public var vocabularySize: Int { vocabulary.count }
    /// Always 0.
    public var padID: Int32? { Vocabulary.padID }
    /// Always 1.
    public var startID: Int32? { Vocabulary.startID }
    /// Always 2.
    public var endID: Int32? { Vocabulary.endID }
    /// Always 3.
    public var unknownID: Int32? { Vocabulary.unknownID }

    /// One id per character; characters outside the vocabulary become `<unk>` (3).
    public func encode(_ text: String) -> [Int32] {
        text.map { vocabulary.id(of: String($0)) ?? Vocabulary.unknownID }
    }

    /// The characters of `ids` run together, skipping pad, start and end.
    ///
    /// `<unk>` is written as `<unk>`. Traps when an id is outside the vocabulary.
    public func decode(_ ids: [Int32]) -> String {
        vocabulary.decode(ids, separator: "", type: "CharacterTokenizer")
    }

    /// The characters of `text`, one per id of `encode(text)`.
    public func pieces(_ text: String) -> [String] { text.map { String($0) } }
}
