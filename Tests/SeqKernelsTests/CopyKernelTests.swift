import SeqKernels
import Testing

/// Inner-axis sizes every copy kernel is checked at.
private let innerSizes = [1, 15, 16, 17, 1000]

/// Distinct, exactly representable values, so a misplaced element always shows.
private func ramp(_ count: Int) -> [Float] { (0..<count).map { Float($0) + 0.5 } }

/// Runs `kernel` over `input` into a fresh buffer of `outputCount` elements prefilled with a
/// sentinel, so stray writes and missed elements both show.
private func output(
    of input: [Float], count outputCount: Int,
    _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
) -> [Float] {
    var result = [Float](repeating: -7, count: outputCount)
    input.withUnsafeBufferPointer { source in
        result.withUnsafeMutableBufferPointer { destination in
            guard let x = source.baseAddress, let out = destination.baseAddress else { return }
            kernel(x, out)
        }
    }
    return result
}

/// Every permutation of `0..<rank`.
private func permutations(_ rank: Int) -> [[Int]] {
    guard rank > 0 else { return [[]] }
    return permutations(rank - 1).flatMap { smaller in
        (0...smaller.count).map { position in
            var next = smaller
            next.insert(rank - 1, at: position)
            return next
        }
    }
}

/// Where the fast and naive results first differ, or `nil`; keeps failure messages short.
private func firstDifference(_ fast: [Float], _ naive: [Float]) -> String? {
    guard fast.count == naive.count else { return "\(fast.count) elements vs \(naive.count)" }
    guard let i = fast.indices.first(where: { fast[$0] != naive[$0] }) else { return nil }
    return "element \(i): fast \(fast[i]), naive \(naive[i])"
}

@Suite struct CopyKernelTests {
    private func expectPermuteMatches(_ shape: [Int], _ permutation: [Int]) {
        let input = ramp(shape.reduce(1, *))
        let fast = output(of: input, count: input.count) {
            permuteCopy($0, $1, shape: shape, permutation: permutation)
        }
        let naive = output(of: input, count: input.count) {
            referencePermuteCopy($0, $1, shape: shape, permutation: permutation)
        }
        #expect(firstDifference(fast, naive) == nil, "permuteCopy \(shape) by \(permutation)")
    }

    @Test func permuteMatchesReferenceForEveryOrderUpToRankFour() {
        for inner in innerSizes {
            for shape in [
                [inner], [3, inner], [2, 3, inner], [2, 3, 5, inner], [inner, 1, 3, 2],
            ] {
                for permutation in permutations(shape.count) {
                    expectPermuteMatches(shape, permutation)
                }
            }
        }
    }

    @Test func permuteMatchesReferenceAtRankFive() {
        for inner in innerSizes {
            let shape = [2, 1, 3, 2, inner]
            for permutation in [
                [4, 3, 2, 1, 0], [0, 2, 1, 3, 4], [1, 0, 3, 4, 2], [0, 4, 1, 2, 3],
            ] {
                expectPermuteMatches(shape, permutation)
            }
        }
    }

    @Test func permuteMatchesReferenceOnThreadedAttentionShapes() {
        expectPermuteMatches([4, 64, 8, 64], [0, 2, 1, 3])  // [B, T, H, D] → [B, H, T, D]
        expectPermuteMatches([4, 8, 64, 64], [0, 1, 3, 2])  // keys transposed
        expectPermuteMatches([513, 301], [1, 0])
        expectPermuteMatches([3, 17, 1000], [2, 0, 1])
    }

    @Test func blockCopyMatchesReference() {
        for length in innerSizes + [100_000] {
            for blocks in [1, 3, 7, 200] where blocks * length <= 300_000 {
                let (sourceStride, destinationStride) = (length + 3, length + 5)
                let input = ramp(blocks * sourceStride)
                let fast = output(of: input, count: blocks * destinationStride) {
                    blockCopy(
                        $0 + 2, sourceStride: sourceStride, $1 + 1,
                        destinationStride: destinationStride, blockCount: blocks,
                        blockLength: length)
                }
                let naive = output(of: input, count: blocks * destinationStride) {
                    referenceBlockCopy(
                        $0 + 2, sourceStride: sourceStride, $1 + 1,
                        destinationStride: destinationStride, blockCount: blocks,
                        blockLength: length)
                }
                #expect(firstDifference(fast, naive) == nil, "blockCopy \(blocks) × \(length)")
            }
        }
    }

    private func expectPadMatches(_ shape: [Int], before: [Int], after: [Int]) {
        let input = ramp(shape.reduce(1, *))
        let count = shape.indices.reduce(1) { $0 * (before[$1] + shape[$1] + after[$1]) }
        let fast = output(of: input, count: count) {
            padCopy($0, $1, shape: shape, before: before, after: after, value: 9.25)
        }
        let naive = output(of: input, count: count) {
            referencePadCopy($0, $1, shape: shape, before: before, after: after, value: 9.25)
        }
        #expect(
            firstDifference(fast, naive) == nil, "padCopy \(shape) before \(before) after \(after)")
    }

    @Test func padMatchesReference() {
        for inner in innerSizes {
            expectPadMatches([inner], before: [2], after: [3])
            expectPadMatches([3, inner], before: [1, 0], after: [2, 17])
            expectPadMatches([2, 3, inner], before: [0, 1, 16], after: [1, 0, 0])
            expectPadMatches(
                [2, 1, 3, 2, inner], before: [1, 2, 0, 1, 1], after: [0, 1, 2, 0, 15])
        }
        expectPadMatches([64, 1000], before: [3, 5], after: [4, 6])
        expectPadMatches([], before: [], after: [])
    }

    private func expectCropMatches(_ shape: [Int], start: [Int], outputShape: [Int]) {
        let input = ramp(shape.reduce(1, *))
        let count = outputShape.reduce(1, *)
        let fast = output(of: input, count: count) {
            cropCopy($0, $1, shape: shape, start: start, outputShape: outputShape)
        }
        let naive = output(of: input, count: count) {
            referenceCropCopy($0, $1, shape: shape, start: start, outputShape: outputShape)
        }
        #expect(
            firstDifference(fast, naive) == nil,
            "cropCopy \(shape) from \(start) size \(outputShape)")
    }

    @Test func cropMatchesReference() {
        for inner in innerSizes {
            expectCropMatches([inner + 2], start: [1], outputShape: [inner])
            expectCropMatches([4, inner + 17], start: [1, 16], outputShape: [2, inner])
            expectCropMatches([3, 2, inner], start: [1, 0, 0], outputShape: [2, 2, inner])
            expectCropMatches(
                [2, 3, 1, 4, inner + 1], start: [1, 1, 0, 2, 1], outputShape: [1, 2, 1, 2, inner])
        }
        expectCropMatches([70, 1010], start: [3, 5], outputShape: [64, 1000])
    }
}
