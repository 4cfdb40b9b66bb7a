import Foundation
import SeqText
import Testing

@Suite("Character and whitespace tokenizers")
struct SimpleTokenizerTests {
    @Test("CharacterTokenizer: specials first, characters by frequency, round trip")
    func characters() throws {
        let tokenizer = CharacterTokenizer(corpus: ["abba", "cab"])
        // a ×3, b ×3, c ×1: ties in string order.
        #expect(tokenizer.vocabulary.tokens == ["<pad>", "<s>", "</s>", "<unk>", "a", "b", "c"])
        #expect(tokenizer.vocabularySize == 7)
        #expect(
            [tokenizer.padID, tokenizer.startID, tokenizer.endID, tokenizer.unknownID] == [
                0, 1, 2, 3,
            ])
        #expect(tokenizer.encode("cab") == [6, 4, 5])
        #expect(tokenizer.encode("abz") == [4, 5, 3])
        #expect(tokenizer.pieces("abz") == ["a", "b", "z"])
        #expect(tokenizer.decode([1, 6, 4, 5, 2, 0, 0]) == "cab")
        #expect(tokenizer.decode([4, 3, 5]) == "a<unk>b")
        #expect(tokenizer.encode("").isEmpty)
    }

    @Test("CharacterTokenizer: one token per grapheme cluster")
    func graphemes() throws {
        let family = "👩‍👩‍👧"
        let combining = "e\u{301}"
        let text = "\(family) caf\(combining) 🇩🇪"
        let tokenizer = CharacterTokenizer(corpus: [text])
        #expect(tokenizer.pieces(text) == [family, " ", "c", "a", "f", combining, " ", "🇩🇪"])
        #expect(tokenizer.encode(text).count == 8)
        #expect(tokenizer.decode(tokenizer.encode(text)) == text)
        // The precomposed é is canonically equivalent, so it is the same token.
        #expect(tokenizer.encode("\u{E9}") == tokenizer.encode(combining))
        #expect(tokenizer.encode("👩") == [3])
    }

    @Test("CharacterTokenizer: minimum frequency and maximum size")
    func characterLimits() {
        let corpus = ["aaaa", "bbb", "cc", "d"]
        #expect(
            CharacterTokenizer(corpus: corpus, minFrequency: 2).vocabulary.tokens.dropFirst(4) == [
                "a", "b", "c",
            ])
        #expect(
            CharacterTokenizer(corpus: corpus, maxVocabularySize: 6).vocabulary.tokens.dropFirst(4)
                == ["a", "b"])
    }

    @Test("WhitespaceTokenizer: words by frequency, unknown words, single-space decode")
    func words() {
        let tokenizer = WhitespaceTokenizer(corpus: [
            "the cat  sat", "the\tdog\nsat down", "the end",
        ])
        #expect(
            tokenizer.vocabulary.tokens == [
                "<pad>", "<s>", "</s>", "<unk>", "the", "sat", "cat", "dog", "down", "end",
            ])
        #expect(tokenizer.pieces("  the  dog ") == ["the", "dog"])
        #expect(tokenizer.encode("the bird sat") == [4, 3, 5])
        #expect(tokenizer.decode([1, 4, 7, 5, 2, 0]) == "the dog sat")
        #expect(tokenizer.decode([4, 3]) == "the <unk>")
        let limited = WhitespaceTokenizer(
            corpus: ["the cat  sat", "the\tdog\nsat down", "the end"], minFrequency: 2,
            maxVocabularySize: 5)
        #expect(limited.vocabulary.tokens == ["<pad>", "<s>", "</s>", "<unk>", "the"])
    }

    @Test("tokenizers are Codable and save to files")
    func saving() throws {
        let characters = CharacterTokenizer(corpus: ["Grüße, 世界!"])
        let words = WhitespaceTokenizer(corpus: ["hello brave new world"])
        let decodedCharacters = try JSONDecoder().decode(
            CharacterTokenizer.self, from: JSONEncoder().encode(characters))
        #expect(decodedCharacters == characters)
        // The vocabulary is stored as a plain token array.
        let json = String(decoding: try JSONEncoder().encode(words.vocabulary), as: UTF8.self)
        #expect(json == #"["<pad>","<s>","<\/s>","<unk>","brave","hello","new","world"]"#)
        try FixtureFiles.withTemporaryDirectory { directory in
            let characterFile = directory.appendingPathComponent("characters.json")
            let wordFile = directory.appendingPathComponent("words.json")
            try characters.write(to: characterFile)
            try words.write(to: wordFile)
            #expect(try CharacterTokenizer(contentsOf: characterFile) == characters)
            #expect(try WhitespaceTokenizer(contentsOf: wordFile) == words)
            #expect {
                try WhitespaceTokenizer(contentsOf: directory.appendingPathComponent("none.json"))
            } throws: { error in
                (error as? TokenizerError)?.description
                    == "\(directory.path)/none.json: no such file"
            }
        }
    }

    @Test("a saved vocabulary without the specials first, or with repeats, is rejected")
    func invalidVocabulary() throws {
        for json in [
            #"{"vocabulary":["a","b"]}"#, #"{"vocabulary":["<pad>","<s>","</s>","<unk>","a","a"]}"#,
        ] {
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(WhitespaceTokenizer.self, from: Data(json.utf8))
            }
        }
        try FixtureFiles.withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("bad.json")
            try Data(#"{"vocabulary":["a"]}"#.utf8).write(to: file)
            #expect {
                try CharacterTokenizer(contentsOf: file)
            } throws: { error in
                let error = error as? TokenizerError
                return error?.kind == .corruptModel
                    && error?.description.hasPrefix(
                        "\(file.path): not a valid CharacterTokenizer file") == true
            }
        }
    }

    @Test("all tokenizers work through the protocol")
    func protocolUse() throws {
        let tokenizers: [any Tokenizer] = [
            CharacterTokenizer(corpus: ["hello world"]),
            WhitespaceTokenizer(corpus: ["hello world"]),
            try SentencePieceTokenizer(contentsOf: FixtureFiles.url("t5-tiny-spiece.model")),
        ]
        for tokenizer in tokenizers {
            let ids = tokenizer.encode("hello world")
            #expect(tokenizer.decode(ids) == "hello world")
            #expect(tokenizer.pieces("hello world").count == ids.count)
            #expect(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize })
        }
    }

    @Test("decoding an id outside the vocabulary traps")
    func decodeOutOfRange() async {
        await #expect(processExitsWith: .failure) {
            _ = WhitespaceTokenizer(corpus: ["a b"]).decode([6])
        }
    }
}
