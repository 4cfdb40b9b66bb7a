import SeqKernels
import Testing

/// The fused additive-attention kernels against their naive Double twins.
@Suite struct AdditiveAttentionKernelTests {
    /// Runs forward and backward of both implementations for `[B, T, A]` queries and `[B, S, A]`
    /// keys and compares every output.
    private func compare(batch: Int, queryCount: Int, keyCount: Int, size: Int) {
        let queries = fusedKernelInput(batch * queryCount * size, phase: 0.2, scale: 1.5)
        let keys = fusedKernelInput(batch * keyCount * size, phase: 1.1, scale: 1.5)
        let vector = fusedKernelInput(size, phase: 2.3, scale: 1)
        var gradient = fusedKernelInput(batch * queryCount * keyCount, phase: 0.7, scale: 1)
        if gradient.count > 2 { gradient[1] = 0 }  // a masked score: skipped by the kernel
        let label = "B \(batch), T \(queryCount), S \(keyCount), A \(size)"

        var fast = [Float](repeating: .nan, count: batch * queryCount * keyCount)
        var naive = fast
        additiveScores(
            queries: queries, keys: keys, vector: vector, scores: &fast, batch: batch,
            queryCount: queryCount, keyCount: keyCount, size: size)
        referenceAdditiveScores(
            queries: queries, keys: keys, vector: vector, scores: &naive, batch: batch,
            queryCount: queryCount, keyCount: keyCount, size: size)
        expectFusedKernelClose(fast, naive, relative: 1e-5, absolute: 1e-5, "scores, \(label)")

        var (fastQ, naiveQ) = ([Float](repeating: .nan, count: queries.count), [Float]())
        var (fastK, naiveK) = ([Float](repeating: .nan, count: keys.count), [Float]())
        var (fastV, naiveV) = ([Float](repeating: .nan, count: size), [Float]())
        naiveQ = fastQ
        naiveK = fastK
        naiveV = fastV
        additiveScoresBackward(
            queries: queries, keys: keys, vector: vector, scoreGradient: gradient,
            queryGradient: &fastQ, keyGradient: &fastK, vectorGradient: &fastV, batch: batch,
            queryCount: queryCount, keyCount: keyCount, size: size)
        referenceAdditiveScoresBackward(
            queries: queries, keys: keys, vector: vector, scoreGradient: gradient,
            queryGradient: &naiveQ, keyGradient: &naiveK, vectorGradient: &naiveV, batch: batch,
            queryCount: queryCount, keyCount: keyCount, size: size)
        expectFusedKernelClose(fastQ, naiveQ, relative: 1e-4, absolute: 1e-5, "dq, \(label)")
        expectFusedKernelClose(fastK, naiveK, relative: 1e-4, absolute: 1e-5, "dk, \(label)")
        expectFusedKernelClose(fastV, naiveV, relative: 1e-4, absolute: 1e-4, "dv, \(label)")
    }

    @Test(arguments: kernelTestSizes)
    func matchesReferenceAtOddSizes(size: Int) {
        compare(batch: 2, queryCount: 3, keyCount: 4, size: size)
    }

    @Test(arguments: kernelTestSizes)
    func matchesReferenceAtOddKeyCounts(keyCount: Int) {
        compare(batch: 3, queryCount: 2, keyCount: keyCount, size: 5)
    }

    @Test func splitsLargeBatchesAcrossWorkers() {
        compare(batch: 64, queryCount: 11, keyCount: 11, size: 32)
    }
}
