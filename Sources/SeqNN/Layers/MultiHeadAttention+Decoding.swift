import SeqKernels
import SeqTensor

// Legend: R rows (decoding: one new position each; encoding: every position of N sequences
// of S positions, sequence-major), D model size, H heads, Hkv key/value heads, E head size.
//
// Inference paths over raw rows, for models' `IncrementalDecoder` steps: they compute what the
// tensor calls compute (dropout aside: inference never drops) without building tensors.

/// A bias added to attention scores, laid out for `singleQueryAttention`: head `h`, row `r`,
/// key `j` at `scores[h · headStride + (r mod rowPeriod) · rowStride + j]`.
package struct AttentionScoreBias {
    /// The first bias.
    package var scores: UnsafePointer<Float>
    /// Floats from one head to the next.
    package var headStride: Int
    /// Floats from one query position to the next (`0`: one bias for every row).
    package var rowStride: Int
    /// Rows per sequence when each query position has its own bias (`1` otherwise).
    package var rowPeriod: Int

    /// Describes a bias; see the properties.
    package init(scores: UnsafePointer<Float>, headStride: Int, rowStride: Int, rowPeriod: Int) {
        self.scores = scores
        self.headStride = headStride
        self.rowStride = rowStride
        self.rowPeriod = rowPeriod
    }
}

extension MultiHeadAttention {
    /// Floats of scratch `decodingSelfAttention` and `decodingCrossAttention` need for `rows`
    /// rows.
    package func decodingScratchCount(rows: Int) -> Int {
        rows * (modelSize + 2 * keyValueHeadCount * headSize)
    }

    /// Self attention of one new position per row, appending its keys and values to `cache`.
    ///
    /// Computes what `callAsFunction(_:keys:values:mask:cache:)` computes for queries
    /// `[R, 1, D]`: one parallel pass for the query, key and value projections, the rotation
    /// of the new position (at `cache.length`) when rotary, the attention over the cache read
    /// in place, and the output projection.
    ///
    /// - Parameters:
    ///   - input: `[R, D]`, row-major.
    ///   - rows: The number of rows, `R`.
    ///   - cache: This layer's cache, created with spare room when `nil`.
    ///   - firstKeys: Per row, the first cached position it may see (left padding), or `nil`.
    ///   - scoreBias: Added to the scores of the `cache.length + 1` keys, or `nil`.
    ///   - scratch: `decodingScratchCount(rows:)` floats.
    ///   - output: `[R, D]`; written, or added to when `accumulating`.
    ///   - accumulating: Whether to add to `output` (a residual connection).
    package func decodingSelfAttention(
        _ input: UnsafePointer<Float>, rows: Int, cache: inout KeyValueCache?,
        firstKeys: UnsafePointer<Int32>?, scoreBias: AttentionScoreBias?,
        scratch: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
        accumulating: Bool
    ) {
        let keyWidth = keyValueHeadCount * headSize
        // The context overwrites the queries it is computed from.
        let (queries, context) = (scratch, scratch)
        let newKeys = queries + rows * modelSize
        let newValues = newKeys + rows * keyWidth
        linearRows(
            input, rows: rows, inputSize: modelSize,
            targets: [
                query.rowsTarget(output: queries), key.rowsTarget(output: newKeys),
                value.rowsTarget(output: newValues),
            ])
        let position = cache?.length ?? 0
        if let rotary {
            let angles = rotary.angles(positions: position..<(position + 1))
            rotate(queries, rows: rows, heads: headCount, angles: angles)
            rotate(newKeys, rows: rows, heads: keyValueHeadCount, angles: angles)
        }
        if cache?.batchSize != rows {
            precondition(
                cache == nil,
                "MultiHeadAttention: \(rows) rows for a cache of \(cache?.batchSize ?? 0)")
            cache = KeyValueCache(
                batchSize: rows, keyValueHeadCount: keyValueHeadCount, headSize: headSize,
                capacity: 32)
        }
        cache?.appendPosition(keys: newKeys, values: newValues, rowStride: keyWidth)
        cache?.withAttentionKeys(firstKeys: firstKeys) { keys in
            attend(queries, rows: rows, keys: keys, bias: scoreBias, into: context)
        }
        linearRows(
            context, rows: rows, inputSize: modelSize,
            targets: [self.output.rowsTarget(output: output, accumulates: accumulating)])
    }

    /// Cross attention of one query per row over keys and values projected once per source.
    ///
    /// Row `r` attends to source `rowSources[r]` of `memory` (`[N, Hkv, S, E]`, one row per
    /// source), seeing its first `sourceLengths[r]` positions: the beams of a source share
    /// its keys and values instead of copies.
    ///
    /// - Parameters:
    ///   - input: `[R, D]`, row-major.
    ///   - rows: The number of rows, `R`.
    ///   - memory: The projected sources, one cache row per source.
    ///   - rowSources: Per row, its source (its row of `memory`).
    ///   - sourceLengths: Per row, its source's real length.
    ///   - scratch: `decodingScratchCount(rows:)` floats.
    ///   - output: `[R, D]`; written, or added to when `accumulating`.
    ///   - accumulating: Whether to add to `output` (a residual connection).
    ///   - weights: `[R, H, memory.length]`, receiving each head's attention weights (zero
    ///     past a row's source length), or `nil` to compute none.
    package func decodingCrossAttention(
        _ input: UnsafePointer<Float>, rows: Int, memory: KeyValueCache,
        rowSources: UnsafePointer<Int32>, sourceLengths: UnsafePointer<Int32>,
        scratch: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
        accumulating: Bool, weights: UnsafeMutablePointer<Float>? = nil
    ) {
        let (queries, context) = (scratch, scratch)
        linearRows(
            input, rows: rows, inputSize: modelSize, targets: [query.rowsTarget(output: queries)])
        memory.withAttentionKeys(rowBlocks: rowSources, endKeys: sourceLengths) { keys in
            attend(queries, rows: rows, keys: keys, bias: nil, into: context, weights: weights)
        }
        linearRows(
            context, rows: rows, inputSize: modelSize,
            targets: [self.output.rowsTarget(output: output, accumulates: accumulating)])
    }

    /// Self attention over every position of `N` sequences of `S` positions at once (an
    /// encoder), each position seeing the first `lengths[n]` positions of its sequence.
    ///
    /// Computes what `callAsFunction(_:keys:values:mask:)` computes for `[N, S, D]` inputs
    /// with key padding (and `scoreBias` as an additive mask), rotating position `s` of each
    /// sequence when rotary.
    ///
    /// - Parameters:
    ///   - input: `[N·S, D]`, row-major.
    ///   - sequences: The number of sequences, `N`.
    ///   - length: The positions per sequence, `S`.
    ///   - rowSequences: Per row, its sequence (`r / S`).
    ///   - rowLengths: Per row, its sequence's real length.
    ///   - scoreBias: Added to the scores (one bias per query position), or `nil`.
    ///   - scratch: `decodingScratchCount(rows: N·S)` floats.
    ///   - output: `[N·S, D]`; written, or added to when `accumulating`.
    ///   - accumulating: Whether to add to `output` (a residual connection).
    package func encodingSelfAttention(
        _ input: UnsafePointer<Float>, sequences: Int, length: Int,
        rowSequences: UnsafePointer<Int32>, rowLengths: UnsafePointer<Int32>,
        scoreBias: AttentionScoreBias?, scratch: UnsafeMutablePointer<Float>,
        output: UnsafeMutablePointer<Float>, accumulating: Bool
    ) {
        let rows = sequences * length
        let keyWidth = keyValueHeadCount * headSize
        let (queries, context) = (scratch, scratch)
        let projectedKeys = queries + rows * modelSize
        let projectedValues = projectedKeys + rows * keyWidth
        linearRowsOrGEMM(
            input, rows: rows, inputSize: modelSize,
            targets: [
                query.rowsTarget(output: queries), key.rowsTarget(output: projectedKeys),
                value.rowsTarget(output: projectedValues),
            ])
        if let rotary {
            let angles = rotary.angles(positions: 0..<length)
            rotate(queries, rows: rows, heads: headCount, angles: angles)
            rotate(projectedKeys, rows: rows, heads: keyValueHeadCount, angles: angles)
        }
        // Read in place as [N, S, Hkv, E].
        let keys = SingleQueryAttentionKeys(
            keys: projectedKeys, values: projectedValues, rowStride: length * keyWidth,
            headStride: headSize, positionStride: keyWidth, keyValueHeadCount: keyValueHeadCount,
            keyCount: length, rowBlocks: rowSequences, endKeys: rowLengths)
        attend(queries, rows: rows, keys: keys, bias: scoreBias, into: context)
        linearRowsOrGEMM(
            context, rows: rows, inputSize: modelSize,
            targets: [self.output.rowsTarget(output: output, accumulates: accumulating)])
    }

    /// Projects `[N·S, D]` rows into cross-attention keys and values, one cache row per
    /// sequence (`[N, Hkv, S, E]`), as `projectedKeyValues(keys:values:)` does for
    /// `[N, S, D]`; `scratch` holds `2 · N·S·Hkv·E` floats.
    package func encodedKeyValues(
        _ input: UnsafePointer<Float>, sequences: Int, length: Int,
        scratch: UnsafeMutablePointer<Float>
    ) -> KeyValueCache {
        let rows = sequences * length
        let (projectedKeys, projectedValues) = (
            scratch, scratch + rows * keyValueHeadCount * headSize
        )
        linearRowsOrGEMM(
            input, rows: rows, inputSize: modelSize,
            targets: [
                key.rowsTarget(output: projectedKeys), value.rowsTarget(output: projectedValues),
            ])
        var memory = KeyValueCache(
            batchSize: sequences, keyValueHeadCount: keyValueHeadCount, headSize: headSize,
            capacity: length)
        memory.fill { keys, values in
            splitHeads(
                projectedKeys, into: keys, sequences: sequences, length: length,
                heads: keyValueHeadCount, headSize: headSize)
            splitHeads(
                projectedValues, into: values, sequences: sequences, length: length,
                heads: keyValueHeadCount, headSize: headSize)
        }
        return memory
    }

    /// The attention of `[R, H·E]` queries over `keys` into `[R, D]` `context`, and its
    /// weights (`[R, H, keys.keyCount]`) into `weights` when given.
    private func attend(
        _ queries: UnsafePointer<Float>, rows: Int, keys: SingleQueryAttentionKeys,
        bias: AttentionScoreBias?, into context: UnsafeMutablePointer<Float>,
        weights: UnsafeMutablePointer<Float>? = nil
    ) {
        singleQueryAttention(
            queries: queries, queryStride: modelSize, keys: keys, bias: bias?.scores,
            biasHeadStride: bias?.headStride ?? 0, biasRowStride: bias?.rowStride ?? 0,
            biasRowPeriod: bias?.rowPeriod ?? 1, scale: scale, rows: rows, headCount: headCount,
            headSize: headSize, context, outputStride: modelSize, weights: weights)
    }

    /// Rotates each of `heads` heads of each row of `x` (`[R, heads · E]`) as
    /// `RotaryPositionalEncoding` does, row `r` by row `r mod P` of `angles` (`[P, E]` each).
    private func rotate(
        _ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int,
        angles: (cosines: Tensor, sines: Tensor)
    ) {
        let half = headSize / 2
        let period = angles.cosines.shape[0]
        let (cosines, sines) = (angles.cosines.storage.pointer, angles.sines.storage.pointer)
        withExtendedLifetime(angles) {
            for row in 0..<rows {
                let (cosine, sine) = (
                    cosines + row % period * headSize, sines + row % period * headSize
                )
                for head in 0..<heads {
                    let vector = x + (row * heads + head) * headSize
                    for i in 0..<half {
                        let (first, second) = (vector[i], vector[i + half])
                        vector[i] = first * cosine[i] + -second * sine[i]
                        vector[i + half] = second * cosine[i + half] + first * sine[i + half]
                    }
                }
            }
        }
    }
}

/// `[N, S, heads, E]` rows → `[N, heads, S, E]` blocks.
private func splitHeads(
    _ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, sequences: Int,
    length: Int, heads: Int, headSize: Int
) {
    for sequence in 0..<sequences {
        for position in 0..<length {
            let row = source + (sequence * length + position) * heads * headSize
            for head in 0..<heads {
                (target + ((sequence * heads + head) * length + position) * headSize).update(
                    from: row + head * headSize, count: headSize)
            }
        }
    }
}
