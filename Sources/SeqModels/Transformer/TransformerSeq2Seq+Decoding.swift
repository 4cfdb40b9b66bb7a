import SeqNN
import SeqTensor

// Legend: R decoding rows (sources × beams), S source positions, D model size, V vocabulary.

extension TransformerSeq2Seq: IncrementalDecoder {
    /// What `TransformerSeq2Seq` keeps between decoding steps.
    ///
    /// The sources are encoded once, and each decoder block's cross-attention keys and values
    /// are projected once, in `start`, with one row per source: rows (beams) only map to
    /// their source, so reordering beams never copies the encoder side. Each step appends one
    /// position to every block's self-attention cache, whose storage grows with spare room.
    public struct DecodingState: Sendable {
        /// Per decoder block, the self-attention keys and values of the tokens fed so far.
        var caches: [KeyValueCache?]
        /// Per decoder block, the projected encoder output of each source, `[N, Hkv, S, E]`.
        var memory: [KeyValueCache]
        /// For each row, the index of its source in `start(sources:)`.
        var rowSources: [Int32]
        /// For each row, the real length of its source.
        var rowSourceLengths: [Int32]
        /// The working rows of the steps.
        var scratch = DecodingScratch()
        /// The number of tokens fed to `step` so far.
        public internal(set) var stepCount: Int

        /// The number of rows.
        public var rowCount: Int { rowSources.count }

        /// The number of sources whose keys and values the state holds: each once, however
        /// many rows (beams) read it.
        public var sourceCount: Int { memory.first?.batchSize ?? 0 }
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
    /// Runs the encoder over raw rows, without recording gradients. Call `setTraining(false)`
    /// first: in training mode the embeddings' dropout applies (the blocks never drop while
    /// decoding).
    ///
    /// - Parameter sources: Source ids, unpadded; at least one source must be non-empty.
    /// - Returns: A state with one row per source and empty self-attention caches.
    public func start(sources: [[Int32]]) -> DecodingState {
        withoutGradients {
            let batch = TokenBatch(rows: sources, padID: config.padID)
            return DecodingState(
                caches: Array(repeating: nil, count: decoder.layers.count),
                memory: decodingMemory(batch),
                rowSources: sources.indices.map { Int32($0) },
                rowSourceLengths: batch.lengths.map { Int32($0) }, stepCount: 0)
        }
    }

    /// Feeds one token per row and returns the next token's log-probabilities, `[R, V]`.
    ///
    /// Runs the decoder over the new position only, attending over the cache and over the
    /// keys and values of the row's source; matches `logits(sources:targetInputs:)` at the
    /// same position. Runs without recording gradients; only the embedding's dropout applies,
    /// in training mode.
    public func step(_ state: inout DecodingState, lastTokens: [Int32]) -> Tensor {
        decodingStep(&state, lastTokens: lastTokens, attention: nil)
    }

    /// One step; `attention`, if given, receives block `layer`'s cross-attention weights
    /// (`[R, H, S]`, `S` the longest source).
    func decodingStep(
        _ state: inout DecodingState, lastTokens: [Int32],
        attention: (layer: Int, weights: UnsafeMutablePointer<Float>)?
    ) -> Tensor {
        precondition(
            lastTokens.count == state.rowCount,
            "TransformerSeq2Seq.step: \(lastTokens.count) tokens for \(state.rowCount) rows")
        return withoutGradients {
            let rows = lastTokens.count
            var x = targetInput(lastTokens, shape: [rows, 1], offset: state.stepCount)
            let scratch = state.scratch.buffer(count: decoder.decodingScratchCount(rows: rows))
            let logits = x.withUnsafeMutableBufferPointer { x in
                guard let x = x.baseAddress else { preconditionFailure("empty decoder input") }
                state.rowSources.withUnsafeBufferPointer { rowSources in
                    state.rowSourceLengths.withUnsafeBufferPointer { lengths in
                        decoder.decodingStep(
                            x, rows: rows, caches: &state.caches,
                            inputs: DecodingStepInputs(
                                memory: state.memory, rowSources: rowSources.baseAddress,
                                sourceLengths: lengths.baseAddress,
                                crossAttentionWeights: attention?.weights,
                                attentionLayer: attention?.layer ?? 0),
                            scratch: scratch)
                    }
                }
                return decodingLogProbabilities(
                    x, rows: rows, weight: outputProjection?.weight ?? targetEmbedding.weight,
                    bias: finalLogitsBias, scale: config.outputScale)
            }
            state.stepCount += 1
            return logits
        }
    }

    /// Makes new row `i` continue old row `rows[i]`: its self-attention caches are gathered in
    /// place, and it keeps reading its source's keys and values, which are never copied.
    public func reorder(_ state: inout DecodingState, rows: [Int]) {
        precondition(
            rows.allSatisfy { (0..<state.rowCount).contains($0) },
            "TransformerSeq2Seq.reorder: rows \(rows) out of range for \(state.rowCount) rows")
        // Greedy search keeps every row where it is: nothing to copy.
        if rows == Array(0..<state.rowCount) { return }
        let indices = rows.map { Int32($0) }
        for index in state.caches.indices { state.caches[index]?.reorder(rows: indices) }
        state.rowSources = rows.map { state.rowSources[$0] }
        state.rowSourceLengths = rows.map { state.rowSourceLengths[$0] }
    }
}
