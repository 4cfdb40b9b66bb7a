import SeqTensor
import SeqTesting
import Testing

/// The fused additive-attention scores: finite differences, and agreement with the composed
/// ops they replace.
@Suite struct AdditiveAttentionGradientTests {
    var rng = SeededGenerator(seed: 17)

    @Test mutating func gradientsOfQueriesKeysAndVector() {
        expectGradientsMatch(
            { $0[0].additiveAttentionScores(keys: $0[1], vector: $0[2]) },
            at: [
                .normal([2, 3, 5], using: &rng), .normal([2, 4, 5], using: &rng),
                .normal([5], using: &rng),
            ])
        expectGradientsMatch(
            { $0[0].additiveAttentionScores(keys: $0[1], vector: $0[2]) },
            at: [
                .normal([3, 1, 17], using: &rng), .normal([3, 6, 17], using: &rng),
                .normal([17], using: &rng),
            ])
    }

    @Test mutating func matchesTheComposedOps() {
        let queries = Tensor.normal([2, 3, 19], using: &rng)
        let keys = Tensor.normal([2, 5, 19], using: &rng)
        let vector = Tensor.normal([19], using: &rng)
        let weights = Tensor.normal([2, 3, 5], using: &rng)
        func composed(_ x: [Tensor]) -> Tensor {
            (x[0].unsqueezed(axis: 2) + x[1].unsqueezed(axis: 1)).tanh()
                .matmul(x[2].reshaped([19, 1])).reshaped([2, 3, 5])
        }
        func fused(_ x: [Tensor]) -> Tensor {
            x[0].additiveAttentionScores(keys: x[1], vector: x[2])
        }
        let points = [queries, keys, vector]
        expectClose(fused(points), composed(points), tolerance: 1e-5)
        let expected = valueWithGradients(of: { (composed($0) * weights).sum() }, at: points)
        let actual = valueWithGradients(of: { (fused($0) * weights).sum() }, at: points)
        for (a, e) in zip(actual.gradients, expected.gradients) {
            expectClose(a, e, tolerance: 1e-4)
        }
    }
}
