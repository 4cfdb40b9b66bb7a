import Foundation
import SeqText
import Testing

@Suite("SentencePiece training")
struct SentencePieceTrainingTests {
    /// The 600 sentences of the Tatoeba sample (English, then German).
    static func sentences() throws -> [String] {
        let pairs = try FixtureFiles.tatoebaPairs()
        return pairs.map(\.english) + pairs.map(\.german)
    }

    static func options(_ type: SentencePieceTrainingOptions.ModelType)
        -> SentencePieceTrainingOptions
    {
        var options = SentencePieceTrainingOptions(vocabularySize: 300, modelType: type)
        options.characterCoverage = 1.0
        options.userDefinedSymbols = ["<sep>", "<mask>"]
        return options
    }

    @Test(
        "unigram and BPE: specials, user symbols, round trip, pieces",
        arguments: [
            SentencePieceTrainingOptions.ModelType.unigram, .bpe,
        ])
    func trainedModel(type: SentencePieceTrainingOptions.ModelType) throws {
        let sentences = try Self.sentences()
        #expect(sentences.count == 600)
        let tokenizer = try SentencePieceTokenizer.train(
            sentences: sentences, options: Self.options(type))
        #expect(tokenizer.vocabularySize == 300)
        #expect(tokenizer.padID == 0)
        #expect(tokenizer.startID == 1)
        #expect(tokenizer.endID == 2)
        #expect(tokenizer.unknownID == 3)
        #expect(
            (0..<6).map { tokenizer.piece(of: $0) } == [
                "<pad>", "<s>", "</s>", "<unk>", "<sep>", "<mask>",
            ])
        #expect(tokenizer.id(of: "<sep>") == 4)
        #expect(tokenizer.id(of: "<mask>") == 5)
        #expect(tokenizer.id(of: "no such piece at all") == nil)
        #expect(tokenizer.piece(of: 300) == nil)
        #expect(tokenizer.piece(of: -1) == nil)

        for sentence in sentences {
            let ids = tokenizer.encode(sentence)
            let pieces = tokenizer.pieces(sentence)
            #expect(tokenizer.decode(ids) == sentence)
            #expect(pieces.count == ids.count)
            #expect(pieces.map { tokenizer.id(of: $0) } == ids.map(Optional.some))
            #expect(ids.allSatisfy { $0 >= 4 && $0 < 300 })
        }
        // Subword segmentation: the vocabulary is far smaller than the word count, so long
        // words split, and every piece maps back to its id.
        let pieces = tokenizer.pieces("Ich verspreche es.")
        #expect(pieces.first?.hasPrefix("▁") == true)
        #expect(pieces.joined() == "▁Ich▁verspreche▁es.")

        // User-defined symbols stay whole, even inside words.
        let marked = tokenizer.pieces("Hallo <sep> Welt<mask>!")
        #expect(marked.contains("<sep>"))
        #expect(marked.contains("<mask>"))
        let ids = tokenizer.encode("Hallo <sep> Welt<mask>!")
        #expect(ids.contains(4) && ids.contains(5))
        #expect(tokenizer.decode(ids) == "Hallo <sep> Welt<mask>!")

        // Control tokens decode to nothing; the empty text has no pieces.
        #expect(
            tokenizer.decode([1] + tokenizer.encode("Es ist klar.") + [2, 0, 0]) == "Es ist klar.")
        #expect(tokenizer.encode("").isEmpty)
        #expect(tokenizer.pieces("").isEmpty)
        #expect(tokenizer.decode([]) == "")
    }

    @Test("training is deterministic, and files (gzip too) train like the same sentences")
    func deterministic() throws {
        let options = SentencePieceTrainingOptions(vocabularySize: 250)
        let lines = try String(
            contentsOf: FixtureFiles.url("tatoeba-deu-eng-300.tsv"), encoding: .utf8
        ).split(separator: "\n").map(String.init)
        let first = try SentencePieceTokenizer.train(sentences: lines, options: options)
        let second = try SentencePieceTokenizer.train(sentences: lines, options: options)
        #expect(first.serialized() == second.serialized())
        let fromGzip = try SentencePieceTokenizer.train(
            files: [FixtureFiles.url("tatoeba-deu-eng-300.tsv.gz")], options: options)
        #expect(fromGzip.serialized() == first.serialized())
    }

    @Test("maxSentences samples with the seed, in the original order")
    func sampling() throws {
        let sentences = try Self.sentences()
        var options = SentencePieceTrainingOptions(vocabularySize: 200)
        options.maxSentences = 150
        options.seed = 7
        let first = try SentencePieceTokenizer.train(sentences: sentences, options: options)
        let second = try SentencePieceTokenizer.train(sentences: sentences, options: options)
        #expect(first.serialized() == second.serialized())
        options.seed = 8
        let reseeded = try SentencePieceTokenizer.train(sentences: sentences, options: options)
        #expect(reseeded.serialized() != first.serialized())
        options.maxSentences = nil
        let full = try SentencePieceTokenizer.train(sentences: sentences, options: options)
        #expect(full.serialized() != first.serialized())
    }

    @Test("special ids can move or be absent")
    func specialIDs() throws {
        var options = SentencePieceTrainingOptions(vocabularySize: 200, modelType: .bpe)
        options.padID = nil
        options.startID = nil
        options.unknownID = 0
        options.endID = 1
        let tokenizer = try SentencePieceTokenizer.train(
            sentences: Self.sentences(), options: options)
        #expect(tokenizer.padID == nil)
        #expect(tokenizer.startID == nil)
        #expect(tokenizer.unknownID == 0)
        #expect(tokenizer.endID == 1)
        #expect(tokenizer.piece(of: 1) == "</s>")
    }

    @Test("bad options and data are thrown, with SentencePiece's reason")
    func trainingErrors() throws {
        var options = SentencePieceTrainingOptions(vocabularySize: 100)
        options.userDefinedSymbols = ["a,b"]
        #expect {
            try SentencePieceTokenizer.train(sentences: ["some text"], options: options)
        } throws: { error in
            (error as? TokenizerError)?.description
                == "user-defined symbol \"a,b\" must be non-empty and contain no comma"
        }
        #expect {
            try SentencePieceTokenizer.train(
                sentences: ["", ""], options: SentencePieceTrainingOptions(vocabularySize: 100))
        } throws: { error in
            (error as? TokenizerError)
                == TokenizerError(
                    kind: .trainingFailed, file: nil, detail: "no non-empty training sentences")
        }
        // Far more pieces than a tiny corpus can give.
        #expect {
            try SentencePieceTokenizer.train(
                sentences: ["a tiny corpus", "of two lines"],
                options: SentencePieceTrainingOptions(vocabularySize: 5000))
        } throws: { error in
            let error = error as? TokenizerError
            return error?.kind == .trainingFailed
                && error?.detail.contains("Vocabulary size") == true
        }
        // The same corpus with a soft limit trains a smaller vocabulary.
        var soft = SentencePieceTrainingOptions(vocabularySize: 5000)
        soft.hardVocabularyLimit = false
        let small = try SentencePieceTokenizer.train(
            sentences: ["a tiny corpus", "of two lines"], options: soft)
        #expect(small.vocabularySize < 5000)
    }

    @Test("a training file that is missing is named")
    func missingTrainingFile() throws {
        #expect {
            try SentencePieceTokenizer.train(
                files: [URL(fileURLWithPath: "/nonexistent/corpus.txt")],
                options: SentencePieceTrainingOptions(vocabularySize: 100))
        } throws: { error in
            (error as? ReaderError)?.description == "/nonexistent/corpus.txt: no such file"
        }
    }
}
