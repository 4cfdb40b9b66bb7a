import SeqTensor

// Legend: R decoding rows (sources × beams), S source positions (the longest source).

extension RNNSeq2Seq: AttentionReportingDecoder {
    /// 1 with attention (its one attention layer), 0 without.
    public var crossAttentionLayerCount: Int { decoder.attention == nil ? 0 : 1 }

    /// Feeds one token per row as `step(_:lastTokens:)` does, and reports each row's weights
    /// in the decoder's attention layer (`layer` must be `nil` or 0), or `nil` without
    /// attention.
    ///
    /// The weights are indexed by source position in the source's own order: with
    /// `reverseSource`, the encoder's reversed positions are mapped back.
    public func stepWithAttention(_ state: inout DecodingState, lastTokens: [Int32], layer: Int?)
        -> (logProbabilities: Tensor, attention: [[Float]]?)
    {
        guard crossAttentionLayerCount > 0 else {
            return (step(&state, lastTokens: lastTokens), nil)
        }
        _ = resolvedAttentionLayer(layer, model: "RNNSeq2Seq")
        let (logProbabilities, weights) = decodingStep(&state, lastTokens: lastTokens)
        guard let weights, let lengths = state.memory?.lengths else {
            preconditionFailure("RNNSeq2Seq: the decoder attends, but reported no weights")
        }
        let keyCount = weights.shape[1]
        let scalars = weights.scalars
        let attention = (0..<state.rowCount).map { row in
            let length = lengths[row]
            let read = scalars[(row * keyCount)..<(row * keyCount + length)]
            guard config.reverseSource else { return Array(read) }
            // Reading order: reversed, with a final end token kept last.
            let keptLast = state.sourceEndsWithEnd[state.sourceIndices[row]] && length > 0
            let reversed = keptLast ? length - 1 : length
            var natural = [Float](repeating: 0, count: length)
            for position in 0..<reversed {
                natural[reversed - 1 - position] = read[read.startIndex + position]
            }
            if keptLast { natural[length - 1] = read[read.startIndex + length - 1] }
            return natural
        }
        return (logProbabilities, attention)
    }
}
