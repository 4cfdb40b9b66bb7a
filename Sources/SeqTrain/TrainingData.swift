import Foundation
import SeqText

/// One example as ids: the source ending with the end token, the target without start or end.
public struct EncodedPair: Sendable {
    /// Source ids followed by the end id.
    public var source: [Int32]
    /// Target ids, without start or end id.
    public var target: [Int32]

    /// Creates an example from its ids.
    public init(source: [Int32], target: [Int32]) {
        self.source = source
        self.target = target
    }
}

/// The examples of a run, read and tokenized once.
public struct TrainingData: Sendable {
    /// Training examples as ids.
    public let train: [EncodedPair]
    /// Validation examples as ids.
    public let valid: [EncodedPair]
    /// Validation sources as text (decoded for BLEU).
    public let validSources: [String]
    /// Validation references as text.
    public let validReferences: [String]

    /// Encodes `trainPairs` and `validPairs` with `tokenizer`, appending its end id to sources.
    public init(trainPairs: [TextPair], validPairs: [TextPair], tokenizer: any Tokenizer) {
        let end = tokenizer.endID ?? 0
        func encoded(_ pairs: [TextPair]) -> [EncodedPair] {
            pairs.map {
                EncodedPair(
                    source: tokenizer.encode($0.source) + [end], target: tokenizer.encode($0.target)
                )
            }
        }
        train = encoded(trainPairs)
        valid = encoded(validPairs)
        validSources = validPairs.map(\.source)
        validReferences = validPairs.map(\.target)
    }

    /// Reads the sentence pairs of `source`.
    ///
    /// - Throws: `ReaderError` naming the file and line.
    public static func readPairs(_ source: DataSource) throws -> [TextPair] {
        switch source {
        case .parallel(let sourceFile, let targetFile):
            return try ParallelTextReader(source: sourceFile, target: targetFile).readAll()
        case .tsv(let file, let columns):
            return try TSVReader(file: file, columns: columns).readPairs()
        case .jsonLines(let file, let keys):
            return try JSONLinesReader(file: file, keys: keys).readPairs()
        }
    }
}

/// The tokenizer file of a model directory.
public let tokenizerFileName = "tokenizer.model"

/// Trains (or loads) the SentencePiece tokenizer a config asks for, jointly over the
/// sources and targets of `pairs`.
///
/// - Throws: `TokenizerError` or `TrainingError` naming the file.
public func makeTokenizer(
    _ config: TokenizerConfig, pairs: [TextPair], seed: UInt64
) throws -> SentencePieceTokenizer {
    if let model = config.model {
        return try SentencePieceTokenizer(contentsOf: model)
    }
    var options = SentencePieceTrainingOptions(
        vocabularySize: config.vocabularySize,
        modelType: config.modelType == "bpe" ? .bpe : .unigram)
    options.characterCoverage = config.characterCoverage
    options.userDefinedSymbols = config.userDefinedSymbols
    options.maxSentences = config.maxSentences
    options.seed = seed
    options.threadCount = 2
    let sentences = pairs.flatMap { [$0.source, $0.target] }
    return try SentencePieceTokenizer.train(sentences: sentences, options: options)
}
