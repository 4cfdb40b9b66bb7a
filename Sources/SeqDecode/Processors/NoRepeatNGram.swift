/// Bans any token that would repeat an n-gram already in the row.
///
/// Paulus and others (2017); Hugging Face `NoRepeatNGramLogitsProcessor`.
/// With `tokens` the row's tokens (start token included), every earlier occurrence of the
/// last `size − 1` tokens bans the token that followed it.
public struct NoRepeatNGram: LogitProcessor {
    /// The n-gram length n (≥ 1; 1 bans every token already present).
    public var size: Int

    /// Creates the processor; `size` must be at least 1.
    public init(size: Int) {
        precondition(size >= 1, "NoRepeatNGram: size must be ≥ 1, got \(size)")
        self.size = size
    }

    /// Sets the scores of tokens that would complete a repeated n-gram to `-∞`.
    public func process(_ rows: LogitRows) {
        let context = size - 1
        for (row, history) in rows.rows.enumerated() {
            let tokens = history.tokens
            let length = tokens.count
            guard length + 1 >= size else { continue }
            let scores = rows.scores(ofRow: row)
            var start = 0
            while start + size <= length {
                var matches = true
                for offset in 0..<context
                where tokens[start + offset] != tokens[length - context + offset] {
                    matches = false
                    break
                }
                if matches { scores[Int(tokens[start + context])] = -.infinity }
                start += 1
            }
        }
    }
}
