import SeqNN
import SeqTensor

// Legend: R decoding rows (sources × beams), S source positions, H decoder state size,
// V vocabulary.

extension RNNSeq2Seq: IncrementalDecoder {
    /// What `RNNSeq2Seq` keeps between decoding steps, per row: each decoder layer's state,
    /// the attentional vector fed to the next step, and its source's encoder outputs.
    ///
    /// The sources are encoded, and the attention keys projected, once in `start`.
    public struct DecodingState: Sendable {
        /// Each decoder layer's state and the attentional vector, `[R, H]` each.
        var decoder: RNNDecoderState
        /// Each row's source outputs and projected keys, or `nil` without attention.
        var memory: AttentionMemory?
        /// For each row, the index of its source in `start(sources:)`.
        var sourceIndices: [Int]
        /// For each source, whether it ends with the end token (which `reverseSource` keeps
        /// last).
        var sourceEndsWithEnd: [Bool]
        /// The number of tokens fed to `step` so far.
        public internal(set) var stepCount: Int

        /// The number of rows.
        public var rowCount: Int { sourceIndices.count }
    }

    /// The target vocabulary size.
    public var vocabularySize: Int { config.vocabularySize }
    /// `config.startID`.
    public var startID: Int32 { config.startID }
    /// `config.endID`.
    public var endID: Int32 { config.endID }
    /// `config.padID`.
    public var padID: Int32 { config.padID }

    /// Encodes `sources` (reversed if `reverseSource`), bridges the final states to the
    /// decoder and projects the attention keys once.
    ///
    /// Call `setTraining(false)` first, or dropout stays on. Runs without recording gradients.
    ///
    /// - Parameter sources: Source ids, unpadded, in their natural order; at least one source
    ///   must be non-empty.
    /// - Returns: A state with one row per source.
    public func start(sources: [[Int32]]) -> DecodingState {
        withoutGradients {
            let encoding = encode(TokenBatch(rows: sources, padID: config.padID))
            return DecodingState(
                decoder: startState(encoding), memory: attentionMemory(encoding),
                sourceIndices: Array(sources.indices),
                sourceEndsWithEnd: sources.map { $0.last == config.endID }, stepCount: 0)
        }
    }

    /// Feeds one token per row and returns the next token's log-probabilities, `[R, V]`.
    ///
    /// Matches `logits(sources:targetInputs:)` at the same position. Runs without recording
    /// gradients.
    public func step(_ state: inout DecodingState, lastTokens: [Int32]) -> Tensor {
        decodingStep(&state, lastTokens: lastTokens).logProbabilities
    }

    /// One step: the log-probabilities `[R, V]` and the attention weights `[R, S]` (`nil`
    /// without attention).
    func decodingStep(_ state: inout DecodingState, lastTokens: [Int32]) -> (
        logProbabilities: Tensor, weights: Tensor?
    ) {
        precondition(
            lastTokens.count == state.rowCount,
            "RNNSeq2Seq.step: \(lastTokens.count) tokens for \(state.rowCount) rows")
        return withoutGradients {
            let embedded = embeddedTargets(lastTokens, shape: [lastTokens.count])
            let (output, weights) = decoder.step(
                embedded, state: &state.decoder, memory: state.memory)
            state.stepCount += 1
            return (projectedLogits(output).logSoftmax(axis: -1), weights)
        }
    }

    /// Makes new row `i` continue old row `rows[i]`: the decoder states, and the source
    /// outputs when the rows' sources change.
    ///
    /// Beam search usually reorders rows within each source's beams; the source side is then
    /// left as it is instead of being copied every step.
    public func reorder(_ state: inout DecodingState, rows: [Int]) {
        precondition(
            rows.allSatisfy { (0..<state.rowCount).contains($0) },
            "RNNSeq2Seq.reorder: rows \(rows) out of range for \(state.rowCount) rows")
        if rows == Array(0..<state.rowCount) { return }
        let indices = rows.map { Int32($0) }
        state.decoder = state.decoder.selectingRows(indices)
        let sourceIndices = rows.map { state.sourceIndices[$0] }
        if sourceIndices != state.sourceIndices {
            state.memory = state.memory?.selectingRows(indices)
            state.sourceIndices = sourceIndices
        }
    }
}
