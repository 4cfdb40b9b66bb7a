import Foundation
import SeqText
import Testing

/// `sentencepiece_reference.json` (tools/fixtures/make_sentencepiece.py).
private struct Reference: Decodable {
    struct Model: Decodable {
        let file: String
        let vocabularySize: Int
        let unknownID: Int32
        let startID: Int32
        let endID: Int32
        let padID: Int32
        let pieces: [String]
        let cases: [Case]

        enum CodingKeys: String, CodingKey {
            case file, pieces, cases
            case vocabularySize = "vocabulary_size"
            case unknownID = "unknown_id"
            case startID = "start_id"
            case endID = "end_id"
            case padID = "pad_id"
        }
    }

    struct Case: Decodable {
        let text: String
        let ids: [Int32]
        let pieces: [String]
        let decoded: String
    }

    let models: [Model]
}

/// `checkpoint_tokenizers.json` (the tokenizer part of the checkpoint fixtures).
private struct Checkpoints: Decodable {
    struct Checkpoint: Decodable {
        let name: String
        let texts: [String]
        let sourcePieces: [[String]]
        let tokenIDsUnpadded: [[Int32]]

        enum CodingKeys: String, CodingKey {
            case name, texts
            case sourcePieces = "source_pieces"
            case tokenIDsUnpadded = "token_ids_unpadded"
        }
    }

    let checkpoints: [Checkpoint]
}

/// `nil` for SentencePiece's -1.
private func optionalID(_ id: Int32) -> Int32? { id >= 0 ? id : nil }

/// Compares strings scalar by scalar: Swift's `==` treats canonically equivalent text as equal.
private func scalars(_ strings: [String]) -> [[Unicode.Scalar]] {
    strings.map { Array($0.unicodeScalars) }
}

@Suite("SentencePiece models")
struct SentencePieceModelTests {
    @Test("ids, pieces and decodings agree with Python sentencepiece")
    func pythonParity() throws {
        let reference = try FixtureFiles.json(Reference.self, "sentencepiece_reference.json")
        #expect(reference.models.count == 2)
        for model in reference.models {
            let tokenizer = try SentencePieceTokenizer(contentsOf: FixtureFiles.url(model.file))
            #expect(tokenizer.vocabularySize == model.vocabularySize, "\(model.file)")
            #expect(tokenizer.unknownID == optionalID(model.unknownID), "\(model.file)")
            #expect(tokenizer.startID == optionalID(model.startID), "\(model.file)")
            #expect(tokenizer.endID == optionalID(model.endID), "\(model.file)")
            #expect(tokenizer.padID == optionalID(model.padID), "\(model.file)")
            let pieces = (0..<Int32(model.vocabularySize)).map { tokenizer.piece(of: $0) ?? "?" }
            #expect(scalars(pieces) == scalars(model.pieces), "\(model.file)")
            for (id, piece) in model.pieces.enumerated() {
                #expect(tokenizer.id(of: piece) == Int32(id), "\(model.file): \(piece)")
            }
            for example in model.cases {
                let label = "\(model.file): \(example.text.debugDescription)"
                #expect(tokenizer.encode(example.text) == example.ids, "\(label)")
                #expect(
                    scalars(tokenizer.pieces(example.text)) == scalars(example.pieces), "\(label)")
                #expect(
                    Array(tokenizer.decode(example.ids).unicodeScalars)
                        == Array(example.decoded.unicodeScalars), "\(label)")
            }
        }
    }

    @Test("Marian source pieces and T5 ids match the checkpoint fixtures")
    func checkpointParity() throws {
        let fixture = try FixtureFiles.json(Checkpoints.self, "checkpoint_tokenizers.json")
        let marian = try #require(fixture.checkpoints.first { $0.name == "marian-tiny-en-de" })
        let marianTokenizer = try SentencePieceTokenizer(
            contentsOf: FixtureFiles.url("marian-tiny-en-de-source.spm"))
        // Marian ids come from vocab.json, not from the .spm, so only the pieces are comparable.
        for (text, pieces) in zip(marian.texts, marian.sourcePieces) {
            #expect(scalars(marianTokenizer.pieces(text)) == scalars(pieces), "\(text)")
        }
        // T5: ids = spiece ids + [</s>].
        let t5 = try #require(fixture.checkpoints.first { $0.name == "t5-tiny" })
        let t5Tokenizer = try SentencePieceTokenizer(
            contentsOf: FixtureFiles.url("t5-tiny-spiece.model"))
        let end = try #require(t5Tokenizer.endID)
        #expect(end == 1)
        for (index, text) in t5.texts.enumerated() {
            #expect(t5Tokenizer.encode(text) + [end] == t5.tokenIDsUnpadded[index], "\(text)")
            #expect(
                scalars(t5Tokenizer.pieces(text)) == scalars(t5.sourcePieces[index]), "\(text)")
        }
    }

    @Test("serialized bytes and written files load back to the same model")
    func serialization() throws {
        let url = try FixtureFiles.url("t5-tiny-spiece.model")
        let tokenizer = try SentencePieceTokenizer(contentsOf: url)
        let bytes = tokenizer.serialized()
        #expect(bytes == (try Data(contentsOf: url)))
        let fromBytes = try SentencePieceTokenizer(serialized: bytes)
        let text = "Please close the window before the storm."
        #expect(fromBytes.encode(text) == tokenizer.encode(text))
        try FixtureFiles.withTemporaryDirectory { directory in
            let copy = directory.appendingPathComponent("copy.model")
            try fromBytes.write(to: copy)
            let reloaded = try SentencePieceTokenizer(contentsOf: copy)
            #expect(reloaded.serialized() == bytes)
        }
    }

    @Test("a missing, corrupt or empty model file is named in the error")
    func loadErrors() throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("missing.model")
            #expect {
                try SentencePieceTokenizer(contentsOf: missing)
            } throws: { error in
                (error as? TokenizerError)?.description == "\(missing.path): no such file"
            }
            let corrupt = directory.appendingPathComponent("corrupt.model")
            try Data("this is not a model".utf8).write(to: corrupt)
            let empty = directory.appendingPathComponent("empty.model")
            try Data().write(to: empty)
            for file in [corrupt, empty] {
                #expect {
                    try SentencePieceTokenizer(contentsOf: file)
                } throws: { error in
                    let error = error as? TokenizerError
                    return error?.kind == .corruptModel
                        && error?.description.hasPrefix(
                            "\(file.path): not a valid SentencePiece model (") == true
                }
            }
            #expect(throws: TokenizerError.self) {
                try SentencePieceTokenizer(serialized: Data([0xFF, 0x00, 0x13]))
            }
            #expect {
                try SentencePieceTokenizer(contentsOf: directory)
            } throws: { error in
                (error as? TokenizerError)?.kind == .unreadableFile
            }
        }
    }

    @Test("decoding an id outside the vocabulary traps")
    func decodeOutOfRange() async {
        await #expect(processExitsWith: .failure) {
            let tokenizer = try SentencePieceTokenizer(
                contentsOf: FixtureFiles.url("t5-tiny-spiece.model"))
            _ = tokenizer.decode([5, 500])
        }
    }
}
