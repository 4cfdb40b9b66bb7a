import SeqTensor

// Legend: R decoding rows (sources × beams), H heads, S source positions (the longest source).

extension TransformerSeq2Seq: AttentionReportingDecoder {
    /// The decoder blocks, each of which attends to the source.
    public var crossAttentionLayerCount: Int { decoder.layers.count }

    /// Feeds one token per row as `step(_:lastTokens:)` does, and reports each row's cross
    /// attention in decoder block `layer` (the last when `nil`), averaged over its heads.
    ///
    /// The weights are those the step attends with (after the softmax, before any dropout), as
    /// Hugging Face's `cross_attentions` averaged over heads; row `r` gets one weight per token
    /// of its source. Without this call no weights are computed.
    public func stepWithAttention(_ state: inout DecodingState, lastTokens: [Int32], layer: Int?)
        -> (logProbabilities: Tensor, attention: [[Float]]?)
    {
        let layer = resolvedAttentionLayer(layer, model: "TransformerSeq2Seq")
        guard let heads = decoder.layers[layer].crossAttention?.headCount else {
            preconditionFailure("TransformerSeq2Seq: decoder block \(layer) has no cross attention")
        }
        let (rows, keyCount) = (lastTokens.count, state.memory[layer].length)
        var weights = [Float](repeating: 0, count: max(1, rows * heads * keyCount))
        let logProbabilities = weights.withUnsafeMutableBufferPointer { buffer in
            decodingStep(
                &state, lastTokens: lastTokens,
                attention: buffer.baseAddress.map { (layer: layer, weights: $0) })
        }
        let attention = (0..<rows).map { row in
            let length = Int(state.rowSourceLengths[row])
            var average = [Float](repeating: 0, count: length)
            for head in 0..<heads {
                let start = (row * heads + head) * keyCount
                for position in 0..<length { average[position] += weights[start + position] }
            }
            let count = Float(heads)
            for position in 0..<length { average[position] /= count }
            return average
        }
        return (logProbabilities, attention)
    }
}
