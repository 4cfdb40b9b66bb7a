import SeqNN
import SeqTensor

// Legend: R decoding rows (sources × beams), P prompt length, D model size, V vocabulary.

extension TransformerLM: IncrementalDecoder {
    /// What `TransformerLM` keeps between decoding steps.
    ///
    /// Prompts of different lengths are left-padded, so every row's next token goes to the
    /// same cache slot: rotary positions only see distances, which left padding keeps, and
    /// absolute positions are shifted back per row, so each row is decoded exactly as if it
    /// were alone. Padded slots are blocked as keys.
    public struct DecodingState: Sendable {
        /// Per block, the self-attention keys and values of every slot so far.
        var caches: [KeyValueCache?]
        /// For each row, the number of padding slots before its prompt.
        var leftPadding: [Int]
        /// The working rows of the steps.
        var scratch = DecodingScratch()
        /// The number of cache slots filled, prompt padding included.
        public internal(set) var length: Int

        /// The number of rows.
        public var rowCount: Int { leftPadding.count }
    }

    /// `config.vocabularySize`.
    public var vocabularySize: Int { config.vocabularySize }
    /// `config.startID`.
    public var startID: Int32 { config.startID }
    /// `config.endID`.
    public var endID: Int32 { config.endID }
    /// `config.padID`.
    public var padID: Int32 { config.padID }

    /// Runs each prompt `prefix(source:)` through the model, filling the caches.
    ///
    /// With `config.bidirectionalPrefix` the prompt attends in both directions, as
    /// `logits(sequences:prefixLengths:)` does over a prefix; else causally. The last block
    /// only projects its keys and values: no prompt output is needed. Call
    /// `setTraining(false)` first, or dropout stays on. Runs without recording gradients.
    public func start(sources: [[Int32]]) -> DecodingState {
        withoutGradients {
            let prompts = sources.map(prefix(source:))
            let length = prompts.map(\.count).max() ?? 0
            let leftPadding = prompts.map { length - $0.count }
            var state = DecodingState(
                caches: Array(repeating: nil, count: decoder.layers.count),
                leftPadding: leftPadding, length: 0)
            guard length > 0 else { return state }
            let ids = prompts.flatMap {
                Array(repeating: config.padID, count: length - $0.count) + $0
            }
            let x = input(ids, shape: [prompts.count, length], offsets: leftPadding.map { -$0 })
            decoder.prefill(
                x,
                selfMask: promptMask(
                    leftPadding: leftPadding, length: length,
                    bidirectional: config.bidirectionalPrefix),
                caches: &state.caches)
            state.length = length
            return state
        }
    }

    /// Feeds one token per row and returns the next token's log-probabilities, `[R, V]`.
    ///
    /// Matches `logits(sequences:prefixLengths:)` at the same position. Runs without
    /// recording gradients; only the embedding's dropout applies, in training mode.
    public func step(_ state: inout DecodingState, lastTokens: [Int32]) -> Tensor {
        precondition(
            lastTokens.count == state.rowCount,
            "TransformerLM.step: \(lastTokens.count) tokens for \(state.rowCount) rows")
        return withoutGradients {
            let rows = lastTokens.count
            let slot = state.length
            var x = input(
                lastTokens, shape: [rows, 1], offsets: state.leftPadding.map { slot - $0 })
            let scratch = state.scratch.buffer(count: decoder.decodingScratchCount(rows: rows))
            // Each row sees its cache slots from the end of its left padding on.
            let firstKeys = state.leftPadding.map { Int32($0) }
            let padded = state.leftPadding.contains { $0 > 0 }
            let logits = x.withUnsafeMutableBufferPointer { x in
                guard let x = x.baseAddress else { preconditionFailure("empty decoder input") }
                firstKeys.withUnsafeBufferPointer { firstKeys in
                    decoder.decodingStep(
                        x, rows: rows, caches: &state.caches,
                        inputs: DecodingStepInputs(firstKeys: padded ? firstKeys.baseAddress : nil),
                        scratch: scratch)
                }
                return decodingLogProbabilities(
                    x, rows: rows, weight: outputProjection?.weight ?? embedding.weight,
                    bias: finalLogitsBias, scale: config.outputScale)
            }
            state.length += 1
            return logits
        }
    }

    /// Makes new row `i` continue old row `rows[i]`.
    public func reorder(_ state: inout DecodingState, rows: [Int]) {
        precondition(
            rows.allSatisfy { (0..<state.rowCount).contains($0) },
            "TransformerLM.reorder: rows \(rows) out of range for \(state.rowCount) rows")
        // Greedy search keeps every row where it is: nothing to copy.
        if rows == Array(0..<state.rowCount) { return }
        let indices = rows.map { Int32($0) }
        for index in state.caches.indices { state.caches[index]?.reorder(rows: indices) }
        state.leftPadding = rows.map { state.leftPadding[$0] }
    }
}

/// The additive `[R, 1, P, P]` mask of a left-padded prompt: padding slots are never seen, and
/// later slots are hidden from earlier ones unless `bidirectional`.
private func promptMask(leftPadding: [Int], length: Int, bidirectional: Bool) -> AttentionMask {
    var scores = [Float](repeating: 0, count: leftPadding.count * length * length)
    for (row, padding) in leftPadding.enumerated() {
        for query in 0..<length {
            let base = (row * length + query) * length
            for key in 0..<length where key < padding || (!bidirectional && key > query) {
                scores[base + key] = AttentionMask.blockedScore
            }
        }
    }
    return .additive(Tensor(shape: [leftPadding.count, 1, length, length], scalars: scores))
}
