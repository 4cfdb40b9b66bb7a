import Foundation
import SeqNN
import SeqTensor
import SeqTesting
import Testing

// Legend: B batch, T positions, S keys, D model size.

/// The first element of a non-empty buffer.
private func address<T>(_ buffer: UnsafeBufferPointer<T>) -> UnsafePointer<T> {
    guard let base = buffer.baseAddress else { preconditionFailure("empty test buffer") }
    return base
}

/// The first element of a non-empty mutable buffer.
private func address<T>(_ buffer: UnsafeMutableBufferPointer<T>) -> UnsafeMutablePointer<T> {
    guard let base = buffer.baseAddress else { preconditionFailure("empty test buffer") }
    return base
}

/// The raw-row attention paths against the tensor calls they stand for.
@Suite struct AttentionDecodingTests {
    var rng = SeededGenerator(seed: 11)

    /// Runs `body` with a zeroed scratch of `count` floats.
    private func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
        var scratch = [Float](repeating: 0, count: count)
        return scratch.withUnsafeMutableBufferPointer { body(address($0)) }
    }

    /// Rotary, grouped heads and left padding: step by step through the cache equals the causal
    /// tensor call with the padded keys blocked, added to what `output` held, at every real
    /// position (those before a row's padding end are padding, whatever their output).
    @Test mutating func decodingSelfAttentionMatchesTheCausalCall() {
        let attention = MultiHeadAttention(
            modelSize: 8, headCount: 4, keyValueHeadCount: 2, rotary: true, using: &rng)
        let (batch, length, width) = (3, 5, 8)
        let x = Tensor.normal([batch, length, width], using: &rng)
        let padding: [Int32] = [0, 2, 1]
        var mask = AttentionMask.causal
        mask.additiveBias = Tensor(
            shape: [batch, 1, 1, length],
            scalars: padding.flatMap { pad in
                (0..<length).map { $0 < Int(pad) ? AttentionMask.blockedScore : 0 }
            })
        let full = withoutGradients { attention(x, keys: x, values: x, mask: mask) }
        var cache: KeyValueCache? = nil
        let residual = Tensor.normal([batch, width], using: &rng)
        for position in 0..<length {
            let input = x.sliced(axis: 1, position..<(position + 1)).reshaped([batch, width])
            var output = residual
            withScratch(attention.decodingScratchCount(rows: batch)) { scratch in
                input.withUnsafeBufferPointer { input in
                    padding.withUnsafeBufferPointer { padding in
                        output.withUnsafeMutableBufferPointer { output in
                            attention.decodingSelfAttention(
                                address(input), rows: batch, cache: &cache,
                                firstKeys: address(padding), scoreBias: nil, scratch: scratch,
                                output: address(output), accumulating: true)
                        }
                    }
                }
            }
            let expected =
                residual + full.sliced(axis: 1, position..<(position + 1)).reshaped([batch, width])
            for row in 0..<batch where position >= Int(padding[row]) {
                expectClose(
                    output.sliced(axis: 0, row..<(row + 1)),
                    expected.sliced(axis: 0, row..<(row + 1)), tolerance: 1e-5)
            }
        }
        #expect(cache?.length == length && cache?.capacity ?? 0 >= length)
    }

    /// Rows reading shared sources (two beams of source 0, one of source 1) equal the tensor
    /// call over copied, padded memory rows.
    @Test mutating func decodingCrossAttentionReadsEachRowsSource() {
        let attention = MultiHeadAttention(
            modelSize: 8, headCount: 4, keyValueHeadCount: 2, using: &rng)
        let memory = Tensor.normal([2, 4, 8], using: &rng)
        let projected = withoutGradients {
            attention.projectedKeyValues(keys: memory, values: memory)
        }
        let queries = Tensor.normal([3, 8], using: &rng)
        let rowSources: [Int32] = [0, 0, 1]
        let lengths: [Int32] = [4, 4, 2]
        var output = Tensor.zeros([3, 8])
        var weights = [Float](repeating: .nan, count: 3 * 4 * 4)
        withScratch(attention.decodingScratchCount(rows: 3)) { scratch in
            queries.withUnsafeBufferPointer { queries in
                rowSources.withUnsafeBufferPointer { rowSources in
                    lengths.withUnsafeBufferPointer { lengths in
                        output.withUnsafeMutableBufferPointer { output in
                            weights.withUnsafeMutableBufferPointer { weights in
                                attention.decodingCrossAttention(
                                    address(queries), rows: 3, memory: projected,
                                    rowSources: address(rowSources),
                                    sourceLengths: address(lengths), scratch: scratch,
                                    output: address(output), accumulating: false,
                                    weights: address(weights))
                            }
                        }
                    }
                }
            }
        }
        // The weights: softmax of scaled query–key products per head, zero past the length.
        let projectedQueries = withoutGradients { attention.query(queries) }.scalars
        let keys = projected.keys.scalars  // [2, 2, 4, 2]
        var expectedWeights: [Float] = []
        for row in 0..<3 {
            for head in 0..<4 {
                let block = (Int(rowSources[row]) * 2 + head / 2) * 4 * 2
                let scores = (0..<Int(lengths[row])).map { key in
                    (0..<2).reduce(Float(0)) {
                        $0 + projectedQueries[row * 8 + head * 2 + $1] * keys[block + key * 2 + $1]
                    } * attention.scale
                }
                let maximum = scores.max() ?? 0
                let exponentials = scores.map { exp($0 - maximum) }
                let total = exponentials.reduce(0, +)
                expectedWeights += exponentials.map { $0 / total }
                expectedWeights += Array(repeating: 0, count: 4 - scores.count)
            }
        }
        expectClose(weights, expectedWeights, tolerance: 1e-5)
        let copied = memory.indexSelect(axis: 0, indices: rowSources)
        let expected = withoutGradients {
            attention(
                queries.reshaped([3, 1, 8]), keys: copied, values: copied,
                mask: .keyLengths(lengths.map { Int($0) }))
        }
        expectClose(output, expected.reshaped([3, 8]), tolerance: 1e-5)
    }

    /// Every position of padded sequences at once, with rotary positions and a bias per query
    /// position, equals the tensor call with key padding and the bias as an additive mask.
    @Test mutating func encodingSelfAttentionMatchesTheTensorCall() {
        let attention = MultiHeadAttention(
            modelSize: 8, headCount: 4, keyValueHeadCount: 2, rotary: true, using: &rng)
        let (sequences, length, width) = (2, 5, 8)
        let x = Tensor.normal([sequences, length, width], using: &rng)
        let bias = Tensor.normal([1, 4, length, length], using: &rng)
        let lengths = [5, 3]
        var mask = AttentionMask.keyLengths(lengths)
        mask.additiveBias = bias
        let expected = withoutGradients { attention(x, keys: x, values: x, mask: mask) }
        let rows = sequences * length
        let rowSequences = (0..<rows).map { Int32($0 / length) }
        let rowLengths = rowSequences.map { Int32(lengths[Int($0)]) }
        var output = Tensor.zeros([rows, width])
        withScratch(attention.decodingScratchCount(rows: rows)) { scratch in
            x.withUnsafeBufferPointer { input in
                bias.withUnsafeBufferPointer { bias in
                    rowSequences.withUnsafeBufferPointer { rowSequences in
                        rowLengths.withUnsafeBufferPointer { rowLengths in
                            output.withUnsafeMutableBufferPointer { output in
                                attention.encodingSelfAttention(
                                    address(input), sequences: sequences, length: length,
                                    rowSequences: address(rowSequences),
                                    rowLengths: address(rowLengths),
                                    scoreBias: AttentionScoreBias(
                                        scores: address(bias), headStride: length * length,
                                        rowStride: length, rowPeriod: length),
                                    scratch: scratch, output: address(output), accumulating: false)
                            }
                        }
                    }
                }
            }
        }
        expectClose(output, expected.reshaped([rows, width]), tolerance: 1e-5)
    }

    /// Appending one position at a time grows the storage geometrically and keeps the same
    /// keys as concatenation; reordering with repeats equals `indexSelect`, and a copy made
    /// before keeps its rows.
    @Test mutating func cacheGrowsGeometricallyAndReordersLikeIndexSelect() {
        let (batch, heads, size) = (3, 2, 4)
        var cache = KeyValueCache(
            batchSize: batch, keyValueHeadCount: heads, headSize: size, capacity: 0)
        var keys: [Tensor] = []
        var capacities: Set<Int> = []
        for _ in 0..<100 {
            let key = Tensor.normal([batch, heads, 1, size], using: &rng)
            cache.append(keys: key, values: key * 2)
            keys.append(key)
            capacities.insert(cache.capacity)
        }
        #expect(capacities.count <= 5, "capacities \(capacities.sorted())")
        let all = concatenate(keys, axis: 2)
        #expect(cache.keys.scalars == all.scalars)
        #expect(cache.values.scalars == (all * 2).scalars)
        let before = cache
        let rows: [Int32] = [2, 2, 0, 1]
        cache.reorder(rows: rows)
        #expect(cache.batchSize == 4)
        #expect(cache.keys.scalars == all.indexSelect(axis: 0, indices: rows).scalars)
        cache.reorder(rows: [3])
        #expect(cache.keys.scalars == all.indexSelect(axis: 0, indices: [1]).scalars)
        #expect(before.keys.scalars == all.scalars)
    }
}
