import SeqKernels
import Testing

@Suite struct SingleQueryAttentionKernelTests {
    static let headSizes = [1, 15, 16, 17]
    static let keyCounts = [1, 15, 16, 17, 1000]

    /// Three rows, four query heads over two key/value heads, blocks with spare capacity.
    ///
    /// Row 1 shares row 0's cache row, row 2 sees a window with a bias and row 0 sees nothing.
    /// Keys and values are laid out as a cache (`[B, Hkv, capacity, E]`) or, `interleaved`,
    /// as projected rows (`[B, capacity, Hkv, E]`).
    @Test(arguments: headSizes, keyCounts)
    func matchesReference(headSize: Int, keyCount: Int) {
        for interleaved in [false, true] {
            check(headSize: headSize, keyCount: keyCount, interleaved: interleaved)
        }
    }

    private func check(headSize: Int, keyCount: Int, interleaved: Bool) {
        let (rows, headCount, keyValueHeads, cacheRows) = (3, 4, 2, 2)
        let capacity = keyCount + 2
        let blockStride = capacity * headSize
        let queryStride = headCount * headSize + 1
        let queries = fusedKernelInput(rows * queryStride, scale: 1)
        let keys = fusedKernelInput(cacheRows * keyValueHeads * blockStride, phase: 1, scale: 1)
        let values = fusedKernelInput(cacheRows * keyValueHeads * blockStride, phase: 2)
        // One bias row per query position of sequences of two rows.
        let bias = fusedKernelInput(headCount * 2 * keyCount, phase: 4, scale: 0.5)
        let rowBlocks: [Int32] = [0, 0, 1]
        let firstKeys: [Int32] = [0, 0, Int32(keyCount / 2)]
        let endKeys: [Int32] = [0, Int32(keyCount), Int32(keyCount)]
        for withBias in [false, true] {
            var fast = [Float](repeating: .nan, count: rows * headCount * headSize)
            var naive = fast
            var fastWeights = [Float](repeating: .nan, count: rows * headCount * keyCount)
            var naiveWeights = fastWeights
            var inPlace = queries
            withPointers(keys, values, rowBlocks, firstKeys, endKeys) {
                k, v, rowBlocks, firstKeys, endKeys in
                let description = SingleQueryAttentionKeys(
                    keys: k, values: v, rowStride: keyValueHeads * blockStride,
                    headStride: interleaved ? headSize : blockStride,
                    positionStride: interleaved ? keyValueHeads * headSize : headSize,
                    keyValueHeadCount: keyValueHeads, keyCount: keyCount,
                    rowBlocks: rowBlocks, firstKeys: firstKeys, endKeys: endKeys)
                bias.withUnsafeBufferPointer { bias in
                    let biasPointer = withBias ? bias.baseAddress : nil
                    singleQueryAttention(
                        queries: queries, queryStride: queryStride, keys: description,
                        bias: biasPointer, biasHeadStride: 2 * keyCount, biasRowStride: keyCount,
                        biasRowPeriod: 2, scale: 0.3, rows: rows,
                        headCount: headCount, headSize: headSize, &fast,
                        outputStride: headCount * headSize, weights: &fastWeights)
                    // The outputs may overwrite the queries they come from.
                    inPlace.withUnsafeMutableBufferPointer { buffer in
                        singleQueryAttention(
                            queries: address(buffer), queryStride: queryStride,
                            keys: description, bias: biasPointer, biasHeadStride: 2 * keyCount,
                            biasRowStride: keyCount, biasRowPeriod: 2, scale: 0.3, rows: rows,
                            headCount: headCount, headSize: headSize, address(buffer),
                            outputStride: queryStride)
                    }
                    referenceSingleQueryAttention(
                        queries: queries, queryStride: queryStride, keys: description,
                        bias: biasPointer, biasHeadStride: 2 * keyCount, biasRowStride: keyCount,
                        biasRowPeriod: 2, scale: 0.3, rows: rows,
                        headCount: headCount, headSize: headSize, &naive,
                        outputStride: headCount * headSize, weights: &naiveWeights)
                }
            }
            expectFusedKernelClose(
                fast, naive, relative: 1e-4, absolute: 1e-5,
                "outputs, head \(headSize), \(keyCount) keys, bias \(withBias)")
            expectFusedKernelClose(
                fastWeights, naiveWeights, relative: 1e-4, absolute: 1e-6,
                "weights, head \(headSize), \(keyCount) keys, bias \(withBias)")
            // Row 2 sees only its window: the keys before it weigh exactly zero.
            let hidden = (0..<headCount).flatMap { head in
                fastWeights[((2 * headCount + head) * keyCount)...].prefix(keyCount / 2)
            }
            #expect(hidden.allSatisfy { $0 == 0 }, "weights outside the window")
            let width = headCount * headSize
            let inPlaceOutputs = (0..<rows).flatMap { row in
                inPlace[(row * queryStride)..<(row * queryStride + width)]
            }
            #expect(inPlaceOutputs == fast, "in place, head \(headSize), \(keyCount) keys")
        }
    }
}

/// Calls `body` with the base addresses of two float and three id arrays (all non-empty).
private func withPointers(
    _ a: [Float], _ b: [Float], _ c: [Int32], _ d: [Int32], _ e: [Int32],
    _ body: (
        UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Int32>, UnsafePointer<Int32>,
        UnsafePointer<Int32>
    ) -> Void
) {
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeBufferPointer { c in
                d.withUnsafeBufferPointer { d in
                    e.withUnsafeBufferPointer { e in
                        body(address(a), address(b), address(c), address(d), address(e))
                    }
                }
            }
        }
    }
}
