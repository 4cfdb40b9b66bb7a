import Foundation

/// One token per whitespace-separated word, for pre-tokenised text.
///
/// Words are the runs between `Character.isWhitespace` characters (spaces, tabs, newlines, no-break
/// spaces…); `decode` joins words with single spaces. Ids: `<pad>` 0, `<s>` 1, `</s>` 2, `<unk>` 3,
/// then the words. `Codable`, so it can be saved next to a model.
public struct WhitespaceTokenizer: Tokenizer, Codable, Hashable {
    /// The words and the special tokens.
    public let vocabulary: Vocabulary

    /// A tokenizer over `vocabulary`, whose tokens are words without whitespace.
    public init(vocabulary: Vocabulary) { self.vocabulary = vocabulary }

    /// A tokenizer over the words of `corpus` seen at least `minFrequency` times, the most
    /// frequent first, at most `maxVocabularySize` ids in all (specials included).
    public init(
        corpus: some Sequence<String>, minFrequency: Int = 1, maxVocabularySize: Int? = nil
    ) {
        vocabulary = Vocabulary(
            counting: corpus.lazy.flatMap { Self.words(of: $0) },
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

    /// One id per word; words outside the vocabulary become `<unk>` (3).
    public func encode(_ text: String) -> [Int32] {
        Self.words(of: text).map { vocabulary.id(of: $0) ?? Vocabulary.unknownID }
    }

    /// The words of `ids` joined by single spaces, skipping pad, start and end.
    ///
    /// `<unk>` is written as `<unk>`. Traps when an id is outside the vocabulary.
    public func decode(_ ids: [Int32]) -> String {
        vocabulary.decode(ids, separator: " ", type: "WhitespaceTokenizer")
    }

    /// The words of `text`, one per id of `encode(text)`.
    public func pieces(_ text: String) -> [String] { Self.words(of: text) }

    private static func words(of text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init)
    }
}
