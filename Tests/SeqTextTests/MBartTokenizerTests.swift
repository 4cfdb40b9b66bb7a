import Foundation
import SeqText
import Testing

/// `MBartTokenizer` against transformers' `MBartTokenizer` (`Fixtures/mbart_tokenizer.json`,
/// written by `tools/fixtures/make_mbart_tokenizer.py`).
@Suite struct MBartTokenizerTests {
    private struct Reference: Decodable {
        struct Encoding: Decodable {
            var text: String
            var srcLang: String
            var pieces: [String]
            var ids: [Int32]
            var inputIds: [Int32]
        }

        struct Target: Decodable {
            var text: String
            var tgtLang: String
            var labels: [Int32]
        }

        struct Decoding: Decodable {
            var ids: [Int32]
            var text: String
        }

        var vocabularySize: Int
        var maskId: Int32
        var languages: [String: Int32]
        var encode: [Encoding]
        var targets: [Target]
        var decode: [Decoding]
    }

    private func load() throws -> (MBartTokenizer, Reference) {
        let model = try SentencePieceTokenizer(
            contentsOf: FixtureFiles.url("mbart-tiny-sentencepiece.bpe.model"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let reference = try decoder.decode(
            Reference.self, from: Data(contentsOf: FixtureFiles.url("mbart_tokenizer.json")))
        return (MBartTokenizer(model: model), reference)
    }

    @Test func idsMatchTransformers() throws {
        let (tokenizer, reference) = try load()
        #expect(tokenizer.vocabularySize == reference.vocabularySize)
        #expect(tokenizer.maskID == reference.maskId)
        #expect(reference.languages.count == MBartTokenizer.languageCodes.count)
        for (code, id) in reference.languages { #expect(tokenizer.languageID(code) == id) }
        #expect(tokenizer.languageID("xx_XX") == nil)
        #expect(
            [tokenizer.startID, tokenizer.padID, tokenizer.endID, tokenizer.unknownID] == [
                0, 1, 2, 3,
            ])
    }

    @Test func encodingMatchesTransformers() throws {
        let (tokenizer, reference) = try load()
        for item in reference.encode {
            #expect(tokenizer.pieces(item.text) == item.pieces, "\(item.text)")
            #expect(tokenizer.encode(item.text) == item.ids, "\(item.text)")
            let suffix = try #require(tokenizer.sourceSuffix(language: item.srcLang))
            #expect(tokenizer.encode(item.text) + suffix == item.inputIds, "\(item.text)")
        }
        for item in reference.targets {
            let code = try #require(tokenizer.languageID(item.tgtLang))
            #expect(tokenizer.encode(item.text) + [2, code] == item.labels)
        }
    }

    @Test func decodingSkipsSpecialTokensAsTransformers() throws {
        let (tokenizer, reference) = try load()
        for item in reference.decode {
            #expect(tokenizer.decode(item.ids) == item.text, "\(item.ids)")
        }
    }
}
