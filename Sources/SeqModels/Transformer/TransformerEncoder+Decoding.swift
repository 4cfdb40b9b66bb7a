import SeqKernels
import SeqNN
import SeqTensor

// Legend: N sources, S padded source length, M = N·S rows (every position, source-major),
// D model size.
//
// The source side of decoding: the encoder over raw rows (as `TransformerDecoder+Decoding`
// runs the decoder), then every decoder block's cross-attention keys and values, projected
// once per source. The working rows are allocated for the call and freed after it, outside
// the tensor storage pool.

/// Rows per chunk of an encoder's feed-forward blocks, which bounds their hidden activations.
private let feedForwardChunkRows = 256

extension TransformerEncoder {
    /// Encodes `x` (`[M, D]`, the embedded sources, overwritten with the encoder output after
    /// the final norm) for sources of real lengths `lengths`, each padded to `length`.
    ///
    /// Computes what `callAsFunction(_:mask:)` computes with key padding (dropout aside),
    /// without building tensors. `scratch` holds `encodingScratchCount(rows:)` floats.
    func encode(
        _ x: UnsafeMutablePointer<Float>, lengths: [Int], length: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let sequences = lengths.count
        let rows = sequences * length
        let rowSequences = (0..<rows).map { Int32($0 / max(1, length)) }
        let rowLengths = rowSequences.map { Int32(lengths[Int($0)]) }
        // [1, H, S, S]: one bias row per query position, the same for every source.
        let bias = positionBias?(queryCount: length, keyCount: length, queryOffset: 0)
        withExtendedLifetime(bias) {
            let scoreBias = bias.map {
                AttentionScoreBias(
                    scores: $0.storage.pointer, headStride: length * length, rowStride: length,
                    rowPeriod: length)
            }
            rowSequences.withUnsafeBufferPointer { rowSequences in
                rowLengths.withUnsafeBufferPointer { rowLengths in
                    guard let rowSequences = rowSequences.baseAddress,
                        let rowLengths = rowLengths.baseAddress
                    else { return }
                    for layer in layers {
                        layer.encode(
                            x, sequences: sequences, length: length, rowSequences: rowSequences,
                            rowLengths: rowLengths, scoreBias: scoreBias, scratch: scratch)
                    }
                }
            }
        }
        if let finalNorm {
            normalizeRows(finalNorm, x, into: x, rows: rows, statistics: scratch)
        }
    }

    /// Floats of scratch `encode` needs for `rows` rows.
    func encodingScratchCount(rows: Int) -> Int {
        guard let layer = layers.first else { return 2 * rows }
        let working = max(
            layer.selfAttention.decodingScratchCount(rows: rows),
            layer.feedForward.decodingScratchCount(rows: min(rows, feedForwardChunkRows)))
        return rows * (layer.selfAttention.modelSize + 2) + working
    }
}

extension EncoderLayer {
    /// The block over every position of `x` (`[N·S, D]`), in place.
    fileprivate func encode(
        _ x: UnsafeMutablePointer<Float>, sequences: Int, length: Int,
        rowSequences: UnsafePointer<Int32>, rowLengths: UnsafePointer<Int32>,
        scoreBias: AttentionScoreBias?, scratch: UnsafeMutablePointer<Float>
    ) {
        let rows = sequences * length
        let statistics = scratch
        let normalized = statistics + 2 * rows
        let working = normalized + rows * selfAttention.modelSize
        normalizationPosition.residualRows(
            x, rows: rows, norm: selfAttentionNorm, normalized: normalized,
            statistics: statistics
        ) { input in
            selfAttention.encodingSelfAttention(
                input, sequences: sequences, length: length, rowSequences: rowSequences,
                rowLengths: rowLengths, scoreBias: scoreBias, scratch: working, output: x,
                accumulating: true)
        }
        // Rows are independent here: chunks keep the hidden activations small.
        for start in stride(from: 0, to: rows, by: feedForwardChunkRows) {
            let (chunk, count) = (
                x + start * selfAttention.modelSize, min(feedForwardChunkRows, rows - start)
            )
            normalizationPosition.residualRows(
                chunk, rows: count, norm: feedForwardNorm, normalized: normalized,
                statistics: statistics
            ) { input in
                feedForward.decodingStep(input, rows: count, hidden: working, output: chunk)
            }
        }
    }
}

extension TransformerSeq2Seq {
    /// Encodes `batch` and projects every decoder block's cross-attention keys and values, one
    /// cache row per source: the source side of a decoding state.
    ///
    /// Matches `decoder.projectedMemory(encode(batch).memory)` (dropout aside).
    func decodingMemory(_ batch: TokenBatch) -> [KeyValueCache] {
        var x = sourceInput(batch)
        let rows = batch.rowCount * batch.length
        let keyValueSize = decoder.layers.first.map {
            2 * rows * ($0.crossAttention?.keyValueHeadCount ?? 0)
                * ($0.crossAttention?.headSize ?? 0)
        }
        let scratch = ScratchStorage(
            count: max(encoder.encodingScratchCount(rows: rows), keyValueSize ?? 0))
        return x.withUnsafeMutableBufferPointer { x in
            guard let x = x.baseAddress else { return [] }
            encoder.encode(
                x, lengths: batch.lengths, length: batch.length, scratch: scratch.pointer)
            return decoder.layers.map { layer in
                guard let attention = layer.crossAttention else {
                    preconditionFailure(
                        "TransformerSeq2Seq: a decoder block without cross attention")
                }
                return attention.encodedKeyValues(
                    x, sequences: batch.rowCount, length: batch.length, scratch: scratch.pointer)
            }
        }
    }
}
