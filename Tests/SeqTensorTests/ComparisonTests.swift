import SeqTensor
import SeqTesting
import Testing

/// Comparisons, `select(where:_:_:)` and `maskedFill(where:with:)`: values, broadcasting and
/// gradients.
@Suite struct ComparisonTests {
    var rng = SeededGenerator(seed: 12)

    private let a = Tensor([1, 2, 3, .nan])
    private let b = Tensor([3, 2, 1, .nan])

    @Test func comparisonValues() {
        #expect((a .== b).scalars == [0, 1, 0, 0])
        #expect((a .!= b).scalars == [1, 0, 1, 1])
        #expect((a .< b).scalars == [1, 0, 0, 0])
        #expect((a .<= b).scalars == [1, 1, 0, 0])
        #expect((a .> b).scalars == [0, 0, 1, 0])
        #expect((a .>= b).scalars == [0, 1, 1, 0])
    }

    @Test func comparisonsWithScalars() {
        #expect((a .== 2).scalars == [0, 1, 0, 0])
        #expect((a .!= 2).scalars == [1, 0, 1, 1])
        #expect((a .< 2).scalars == [1, 0, 0, 0])
        #expect((a .<= 2).scalars == [1, 1, 0, 0])
        #expect((a .> 2).scalars == [0, 0, 1, 0])
        #expect((a .>= 2).scalars == [0, 1, 1, 0])
    }

    @Test func comparisonsBroadcast() {
        let column = Tensor(shape: [3, 1], scalars: [1, 2, 3])
        let row = Tensor([1, 2, 3, 4])
        let less = column .< row
        #expect(less.shape == [3, 4])
        #expect(less.scalars == [0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1])
    }

    @Test func comparisonsAreNotTracked() {
        let grad = gradient(of: { x in ((x .> 0) * x).sum() }, at: Tensor([-1, 2, 3]))
        // Only the product's direct path carries gradient; the mask is a constant.
        #expect(grad.scalars == [0, 1, 1])
    }

    @Test func selectBroadcastsAllThree() {
        let condition = Tensor(shape: [2, 1], scalars: [1, 0])
        let whenTrue = Tensor([10, 20, 30])
        let whenFalse = Tensor(-1)
        let result = select(where: condition, whenTrue, whenFalse)
        #expect(result.shape == [2, 3])
        #expect(result.scalars == [10, 20, 30, -1, -1, -1])
    }

    @Test func selectTreatsNonzeroAndNaNAsTrue() {
        let condition = Tensor([0, 2, -0.5, .nan, -0.0])
        #expect(select(where: condition, Tensor(1), Tensor(0)).scalars == [0, 1, 1, 1, 0])
    }

    @Test func selectDoesNotLeakUnchosenInfinities() {
        let scores = Tensor([1, 2, 3])
        let keep = Tensor([1, 0, 1])
        let masked = select(where: keep, scores, Tensor(-.infinity))
        #expect(masked.scalars == [1, -.infinity, 3])
        let softmaxDenominator = masked.exp().sum().scalar
        #expect(softmaxDenominator.isFinite)
    }

    @Test func maskedFillValuesAndBroadcasting() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let mask = Tensor([0, 1, 0])
        let filled = x.maskedFill(where: mask, with: -.infinity)
        #expect(filled.shape == [2, 3])
        #expect(filled.scalars == [1, -.infinity, 3, 4, -.infinity, 6])
        #expect(x.maskedFill(where: x .> 3, with: 0).scalars == [1, 2, 3, 0, 0, 0])
    }

    @Test mutating func selectGradientsBroadcast() {
        let condition = Tensor(shape: [2, 1], scalars: [1, 0])
        expectGradientsMatch(
            { select(where: condition, $0[0], $0[1]) },
            at: [.normal([2, 3], using: &rng), .normal([3], using: &rng)])
        let elementwise = Tensor(shape: [2, 3], scalars: [1, 0, 0, 1, 1, 0])
        expectGradientsMatch(
            { select(where: elementwise, $0[0], $0[1]) },
            at: [.normal([1], using: &rng), .normal([2, 1], using: &rng)])
    }

    @Test mutating func maskedFillGradientIsZeroWhereFilled() {
        let mask = Tensor(shape: [1, 4], scalars: [0, 1, 1, 0])
        expectGradientsMatch(
            { $0.maskedFill(where: mask, with: 7) }, at: .normal([3, 4], using: &rng))
        let grad = gradient(of: { $0.maskedFill(where: mask, with: 7).sum() }, at: .zeros([3, 4]))
        #expect(grad.scalars == Array([[Float]](repeating: [1, 0, 0, 1], count: 3).joined()))
    }

    @Test func selectTrapsOnIncompatibleShapes() async {
        await #expect(processExitsWith: .failure) {
            _ = select(where: .zeros([2, 3]), .zeros([4]), .zeros([3]))
        }
    }

    @Test func maskedFillTrapsWhenTheMaskWouldGrowTheTensor() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros([3]).maskedFill(where: .zeros([2, 3]), with: 0)
        }
    }
}
