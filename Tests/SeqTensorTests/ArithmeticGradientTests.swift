import SeqTensor
import SeqTesting
import Testing

@Suite struct ArithmeticGradientTests {
    var rng = SeededGenerator(seed: 1)

    @Test mutating func add() {
        let b = Tensor.normal([3, 4], using: &rng)
        expectGradientsMatch({ $0 + b }, at: .normal([3, 4], using: &rng))
    }

    @Test mutating func addBroadcastsBothWays() {
        expectGradientsMatch(
            { $0[0] + $0[1] },
            at: [.normal([3, 1, 4], using: &rng), .normal([2, 1], using: &rng)])
    }

    @Test mutating func subtractBroadcast() {
        expectGradientsMatch(
            { $0[0] - $0[1] }, at: [.normal([2, 3], using: &rng), .normal([3], using: &rng)])
    }

    @Test mutating func multiplyBroadcast() {
        expectGradientsMatch(
            { $0[0] * $0[1] },
            at: [.normal([2, 3, 4], using: &rng), .normal([3, 1], using: &rng)])
    }

    @Test mutating func divideBroadcast() {
        let denominator = Tensor.uniform([4], in: 1...2, using: &rng)
        expectGradientsMatch(
            { $0[0] / $0[1] }, at: [.normal([3, 4], using: &rng), denominator])
    }

    @Test mutating func negationAndScalars() {
        expectGradientsMatch({ -(2 * $0 + 1) / 3 - $0 * 0.5 }, at: .normal([5], using: &rng))
    }

    @Test mutating func sumOverAxes() {
        expectGradientsMatch({ $0.sum(axes: [0, 2]) }, at: .normal([2, 3, 4], using: &rng))
        expectGradientsMatch(
            { $0.sum(axes: [-1], keepingDimensions: true) }, at: .normal([3, 5], using: &rng))
    }

    @Test mutating func mean() {
        expectGradientsMatch({ $0.mean(axes: [1]) }, at: .normal([3, 4], using: &rng))
    }

    @Test mutating func reshapeAndExpand() {
        expectGradientsMatch({ $0.reshaped([4, -1]) }, at: .normal([2, 6], using: &rng))
        expectGradientsMatch({ $0.expanded(to: [3, 2, 4]) }, at: .normal([2, 1], using: &rng))
    }

    @Test mutating func matmul() {
        expectGradientsMatch(
            { $0[0].matmul($0[1]) },
            at: [.normal([3, 4], using: &rng), .normal([4, 2], using: &rng)])
    }

    @Test mutating func batchedMatmulWithSharedRight() {
        expectGradientsMatch(
            { $0[0].matmul($0[1]) },
            at: [.normal([2, 3, 4], using: &rng), .normal([4, 5], using: &rng)])
    }

    @Test mutating func matmulTransposingOther() {
        expectGradientsMatch(
            { $0[0].matmul($0[1], transposingOther: true) },
            at: [.normal([2, 3, 4], using: &rng), .normal([5, 4], using: &rng)])
    }

    @Test mutating func batchedMatmulBroadcastBatch() {
        expectGradientsMatch(
            { $0[0].matmul($0[1]) },
            at: [.normal([2, 1, 3, 4], using: &rng), .normal([3, 4, 2], using: &rng)])
    }

    @Test mutating func reusedInputAccumulates() {
        expectGradientsMatch({ $0 * $0 + $0 }, at: .normal([4], using: &rng))
    }
}
