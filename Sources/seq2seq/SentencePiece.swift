import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq spm train|encode|decode`: SentencePiece models from the command line.
struct SentencePiece: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spm", abstract: "Train SentencePiece models and encode or decode text.",
        subcommands: [TrainModel.self, Encode.self, Decode.self])

    struct TrainModel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train", abstract: "Train a SentencePiece model on text files.")

        @Option(
            name: .customLong("input"),
            help: "A text file (repeatable; gzip is read transparently).")
        var inputs: [String]

        @Option(help: "Where to write the .model file.")
        var output: String

        @Option(help: "Vocabulary size.")
        var vocabSize = 8000

        @Option(help: "unigram or bpe.")
        var modelType = "unigram"

        @Option(help: "Share of characters the model must cover.")
        var characterCoverage = 1.0

        @Option(help: "Pieces kept whole, comma-separated (e.g. <sep>,<mask>).")
        var userDefinedSymbols = ""

        @Option(help: "Most sentences sampled for training.")
        var maxSentences: Int?

        @Option(help: "Seed of that sampling.")
        var seed: UInt64 = 1

        func validate() throws {
            guard !inputs.isEmpty else { throw ValidationError("give at least one --input file") }
            guard ["unigram", "bpe"].contains(modelType) else {
                throw ValidationError("--model-type must be unigram or bpe, got \(modelType)")
            }
        }

        func run() throws {
            var options = SentencePieceTrainingOptions(
                vocabularySize: vocabSize, modelType: modelType == "bpe" ? .bpe : .unigram)
            options.characterCoverage = characterCoverage
            options.userDefinedSymbols = userDefinedSymbols.split(separator: ",").map(String.init)
            options.maxSentences = maxSentences
            options.seed = seed
            let tokenizer = try SentencePieceTokenizer.train(
                files: inputs.map { URL(fileURLWithPath: $0) }, options: options)
            try tokenizer.write(to: URL(fileURLWithPath: output))
            standardError("wrote \(output): \(tokenizer.vocabularySize) pieces")
        }
    }

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode standard input, one line per line, as ids or pieces.")

        @Option(help: "A SentencePiece .model file.")
        var model: String

        @Option(help: "id or piece.")
        var outputFormat = "id"

        func validate() throws {
            guard ["id", "piece"].contains(outputFormat) else {
                throw ValidationError("--output-format must be id or piece, got \(outputFormat)")
            }
        }

        func run() throws {
            let tokenizer = try SentencePieceTokenizer(contentsOf: URL(fileURLWithPath: model))
            while let line = readLine(strippingNewline: true) {
                print(
                    outputFormat == "id"
                        ? tokenizer.encode(line).map(String.init).joined(separator: " ")
                        : tokenizer.pieces(line).joined(separator: " "))
            }
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode lines of space-separated ids from standard input.")

        @Option(help: "A SentencePiece .model file.")
        var model: String

        func run() throws {
            let tokenizer = try SentencePieceTokenizer(contentsOf: URL(fileURLWithPath: model))
            var lineNumber = 0
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
                var ids: [Int32] = []
                for field in line.split(separator: " ") {
                    guard let id = Int32(field), id >= 0, Int(id) < tokenizer.vocabularySize
                    else {
                        throw ValidationError(
                            "standard input line \(lineNumber): `\(field)` is not an id below \(tokenizer.vocabularySize)"
                        )
                    }
                    ids.append(id)
                }
                print(tokenizer.decode(ids))
            }
        }
    }
}
