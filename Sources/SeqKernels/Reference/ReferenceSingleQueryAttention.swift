#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Naive twin of `singleQueryAttention`, in `Double`: every key scored, blocked ones at
/// `-1e9` as an attention mask blocks them, then a full softmax; `weights` as there.
package func referenceSingleQueryAttention(
    queries: UnsafePointer<Float>, queryStride: Int, keys: SingleQueryAttentionKeys,
    bias: UnsafePointer<Float>?, biasHeadStride: Int, biasRowStride: Int, biasRowPeriod: Int,
    scale: Float, rows: Int, headCount: Int, headSize: Int, _ out: UnsafeMutablePointer<Float>,
    outputStride: Int, weights: UnsafeMutablePointer<Float>? = nil
) {
    let groupSize = headCount / keys.keyValueHeadCount
    for row in 0..<rows {
        let block = Int(keys.rowBlocks?[row] ?? Int32(row))
        let first = Int(keys.firstKeys?[row] ?? 0)
        let end = Int(keys.endKeys?[row] ?? Int32(keys.keyCount))
        for head in 0..<headCount {
            let offset = block * keys.rowStride + head / groupSize * keys.headStride
            let query = queries + row * queryStride + head * headSize
            var scores = [Double](repeating: 0, count: keys.keyCount)
            for key in 0..<keys.keyCount {
                var score = 0.0
                for i in 0..<headSize {
                    score +=
                        Double(query[i]) * Double(keys.keys[offset + key * keys.positionStride + i])
                }
                score *= Double(scale)
                if let bias {
                    let offset = row % biasRowPeriod * biasRowStride
                    score += Double(bias[head * biasHeadStride + offset + key])
                }
                // Float32 rounding of `score − 1e9`, as a masked float score would have.
                scores[key] = key >= first && key < end ? score : Double(Float(score) - 1e9)
            }
            let maximum = scores.max() ?? 0
            let exponentials = scores.map { exp($0 - maximum) }
            let total = exponentials.reduce(0, +)
            if let weights {
                for key in 0..<keys.keyCount {
                    weights[(row * headCount + head) * keys.keyCount + key] = Float(
                        exponentials[key] / total)
                }
            }
            let target = out + row * outputStride + head * headSize
            for i in 0..<headSize {
                var sum = 0.0
                for key in 0..<keys.keyCount {
                    sum +=
                        exponentials[key] / total
                        * Double(keys.values[offset + key * keys.positionStride + i])
                }
                target[i] = Float(sum)
            }
        }
    }
}
