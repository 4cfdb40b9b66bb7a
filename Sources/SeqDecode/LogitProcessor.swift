/// What a logit processor may know about one row being scored.
public struct DecodingRow: Sendable, Equatable {
    /// Index of the row's source in the `sources` passed to the search.
    public var source: Int
    /// The row's tokens so far: the start token, then every generated token (as Hugging Face's
    /// `input_ids` of an encoder–decoder model).
    public var tokens: [Int32]
    /// The most tokens this row may generate (its source's length limit).
    public var maxNewTokens: Int

    /// Creates a row description.
    public init(source: Int, tokens: [Int32], maxNewTokens: Int) {
        self.source = source
        self.tokens = tokens
        self.maxNewTokens = maxNewTokens
    }

    /// Number of tokens generated so far; the token being scored will be number
    /// `generatedCount + 1`.
    public var generatedCount: Int { tokens.count - 1 }
}

/// Scores of several rows, row-major `[count, vocabularySize]`, that a processor adjusts in
/// place, with each row's history.
///
/// A view over memory owned by the search: valid only during `LogitProcessor.process(_:)`.
public struct LogitRows {
    /// Entries per row.
    public let vocabularySize: Int
    /// The history of each row, parallel to the rows of scores.
    public let rows: [DecodingRow]
    private let base: UnsafeMutablePointer<Float>

    /// Wraps `base`, which holds `rows.count × vocabularySize` scores.
    init(base: UnsafeMutablePointer<Float>, vocabularySize: Int, rows: [DecodingRow]) {
        self.base = base
        self.vocabularySize = vocabularySize
        self.rows = rows
    }

    /// Number of rows.
    public var count: Int { rows.count }

    /// The score of `token` in row `row`.
    public subscript(row: Int, token: Int) -> Float {
        get { base[row * vocabularySize + token] }
        nonmutating set { base[row * vocabularySize + token] = newValue }
    }

    /// The scores of row `row`, to read or write.
    public func scores(ofRow row: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: base + row * vocabularySize, count: vocabularySize)
    }

    /// Sets every score of row `row` to `-∞` except `token`'s, which becomes `value`.
    public func force(row: Int, token: Int, value: Float) {
        let scores = scores(ofRow: row)
        scores.update(repeating: -.infinity)
        scores[token] = value
    }
}

/// A step-wise adjustment of next-token log-probabilities: bans, penalties, forced tokens.
///
/// Searches apply their processors in order at every step, to the log-probabilities returned
/// by the model (and, in diverse beam search, after the diversity penalty), before choosing
/// tokens. Hugging Face `generate()` applies its built-in processors in this order:
/// `RepetitionPenalty`, `NoRepeatNGram`, `BadWords`, `MinLength`, `ForcedBOS`, `ForcedEOS`,
/// `SuppressTokens`; list them in that order to reproduce it.
public protocol LogitProcessor: Sendable {
    /// Adjusts the scores of `rows` in place.
    func process(_ rows: LogitRows)
}

extension LogitProcessor {
    /// Applies the processor to `scores`, row-major `[rows.count, vocabularySize]`.
    public func process(_ scores: inout [Float], rows: [DecodingRow]) {
        precondition(
            !rows.isEmpty && scores.count % rows.count == 0,
            "LogitProcessor.process: \(scores.count) scores do not split into \(rows.count) rows")
        let vocabularySize = scores.count / rows.count
        scores.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            process(LogitRows(base: base, vocabularySize: vocabularySize, rows: rows))
        }
    }
}
