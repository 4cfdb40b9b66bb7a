import SeqNN
import SeqTensor

// Legend: R decoding rows (sources × beams), S source positions, D model size, V vocabulary.

extension TransformerSeq2Seq: IncrementalDecoder {
    /// What `TransformerSeq2Seq` keeps between decoding steps.
    ///
    /// The sources are encoded once, and each decoder block's cross-attention keys and values
    /// are projected once, in `start`; each step appends one position to every block's
    /// self-attention cache.
    public struct DecodingState: Sendable {
        /// Per decoder block, the self-attention keys and values of the tokens fed so far.
        var caches: [KeyValueCache?]
        /// Per decoder block, the projected encoder output of each row's source.
        var memory: [KeyValueCache]
        /// The real length of each row's source.
        var sourceLengths: [Int]
        /// The padded source length, `S`.
        var sourceLength: Int
        /// For each row, the index of its source in `start(sources:)`.
        var sourceIndices: [Int]
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

    /// Encodes `sources` and projects every block's cross-attention keys and values once.
    ///
    /// Call `setTraining(false)` first, or dropout stays on. Runs without recording gradients.
    ///
    /// - Parameter sources: Source ids, unpadded; at least one source must be non-empty.
    /// - Returns: A state with one row per source and empty self-attention caches.
    public func start(sources: [[Int32]]) -> DecodingState {
        withoutGradients {
            let batch = TokenBatch(rows: sources, padID: config.padID)
            let encoded = encode(batch)
            return DecodingState(
                caches: Array(repeating: nil, count: decoder.layers.count),
                memory: decoder.projectedMemory(encoded.memory), sourceLengths: batch.lengths,
                sourceLength: batch.length, sourceIndices: Array(sources.indices), stepCount: 0)
        }
    }

    /// Feeds one token per row and returns the next token's log-probabilities, `[R, V]`.
    ///
    /// Runs the decoder over the new position only, attending over the cache and the
    /// precomputed source keys and values; matches `logits(sources:targetInputs:)` at the same
    /// position. Runs without recording gradients.
    public func step(_ state: inout DecodingState, lastTokens: [Int32]) -> Tensor {
        precondition(
            lastTokens.count == state.rowCount,
            "TransformerSeq2Seq.step: \(lastTokens.count) tokens for \(state.rowCount) rows")
        return withoutGradients {
            let rows = lastTokens.count
            let x = targetInput(lastTokens, shape: [rows, 1], offset: state.stepCount)
            // One query after all cached keys: the causal mask would block nothing.
            let hidden = decoder(
                x, selfMask: nil, caches: &state.caches, memory: state.memory,
                memoryMask: keyPaddingMask(
                    lengths: state.sourceLengths, keyCount: state.sourceLength))
            state.stepCount += 1
            return projectedLogits(hidden.reshaped([rows, config.modelSize]))
                .logSoftmax(axis: -1)
        }
    }

    /// Makes new row `i` continue old row `rows[i]`: self-attention caches, and the source
    /// keys, values and lengths when the rows' sources change.
    ///
    /// Beam search usually reorders rows within each source's beams; the source side is then
    /// left as it is instead of being copied every step.
    public func reorder(_ state: inout DecodingState, rows: [Int]) {
        precondition(
            rows.allSatisfy { (0..<state.rowCount).contains($0) },
            "TransformerSeq2Seq.reorder: rows \(rows) out of range for \(state.rowCount) rows")
        // Greedy search keeps every row where it is: nothing to copy.
        if rows == Array(0..<state.rowCount) { return }
        let indices = rows.map { Int32($0) }
        state.caches = state.caches.map { cache in
            cache.map { cache in
                var reordered = cache
                reordered.reorder(rows: indices)
                return reordered
            }
        }
        let sourceIndices = rows.map { state.sourceIndices[$0] }
        if sourceIndices != state.sourceIndices {
            state.memory = state.memory.map { memory in
                var reordered = memory
                reordered.reorder(rows: indices)
                return reordered
            }
            state.sourceLengths = rows.map { state.sourceLengths[$0] }
            state.sourceIndices = sourceIndices
        }
    }
}
