import Foundation
import SeqTensor
import SeqTesting
import Testing

/// `max`, `min`, `argmax`, `argmin` and `logSumExp`: values, shapes, ties and gradients.
@Suite struct ExtremaTests {
    /// `[2, 3, 4]` with distinct values at least 0.37 apart, so finite differences of size
    /// 1e-2 never change which element is the extremum.
    private let grid = Tensor(
        shape: [2, 3, 4], scalars: (0..<24).map { Float($0 * 7 % 24) * 0.37 - 3 })

    @Test func maxAndMinValuesAndShapes() {
        let x = Tensor(shape: [2, 3], scalars: [1, 5, 2, 7, 0, 3])
        #expect(x.max(axes: [1]).scalars == [5, 7])
        #expect(x.min(axes: [0]).scalars == [1, 0, 2])
        #expect(x.max(axes: [-1], keepingDimensions: true).shape == [2, 1])
        #expect(x.min(axes: [0, 1]).shape == [])
        #expect(x.max().scalar == 7)
        #expect(x.min().scalar == 0)
        #expect(x.max().shape == [])
        #expect(Tensor(4).max().scalar == 4)
    }

    @Test func argmaxAndArgminPickTheFirstOfTies() {
        let x = Tensor(shape: [2, 4], scalars: [3, 1, 3, 0, 2, 2, -1, -1])
        #expect(x.argmax(axis: 1).scalars == [0, 0])
        #expect(x.argmin(axis: 1).scalars == [3, 2])
        #expect(x.argmax(axis: 0).scalars == [0, 1, 0, 0])
        #expect(x.argmax(axis: -1, keepingDimensions: true).shape == [2, 1])
        // A long row takes the vector path: ties in different lanes still resolve to the first.
        var long = [Float](repeating: 0, count: 100)
        long[70] = 5
        long[37] = 5
        long[90] = 5
        #expect(Tensor(long).argmax(axis: 0).scalar == 37)
        #expect(Tensor(long).argmin(axis: 0).scalar == 0)
    }

    @Test func argmaxIsNotTracked() {
        let grad = gradient(of: { x in x.argmax(axis: 0) * x.sum() }, at: Tensor([1, 3, 2]))
        #expect(grad.scalars == [1, 1, 1])
    }

    @Test func maxGradientGoesToTheFirstTiedElement() {
        let x = Tensor(shape: [2, 3], scalars: [4, 1, 4, 2, 2, 2])
        let rows = gradient(of: { $0.max(axes: [1]).sum() }, at: x)
        #expect(rows.scalars == [1, 0, 0, 1, 0, 0])
        let all = gradient(
            of: { $0.max().sum() }, at: Tensor(shape: [2, 2], scalars: [1, 9, 9, 9]))
        #expect(all.scalars == [0, 1, 0, 0])
        let minimum = gradient(of: { $0.min(axes: [0, 1]) }, at: x)
        #expect(minimum.scalars == [0, 1, 0, 0, 0, 0])
    }

    @Test func maxPropagatesNaN() {
        let x = Tensor([1, .nan, 3])
        #expect(x.max().scalar.isNaN)
        #expect(x.argmin(axis: 0).scalar == 1)
    }

    @Test func logSumExpStaysFiniteForLargeInputs() {
        let values: [Float] = [1000, 999.5, 1001, -1000, 1000.25, 998]
        let x = Tensor(shape: [2, 3], scalars: values)
        let result = x.logSumExp(axes: [1])
        #expect(result.scalars.allSatisfy { $0.isFinite })
        let expected = (0..<2).map { row -> Float in
            let slice = values[(row * 3)..<(row * 3 + 3)].map(Double.init)
            let top = slice.max() ?? 0
            return Float(top + log(slice.map { exp($0 - top) }.reduce(0, +)))
        }
        expectClose(result, Tensor(expected), tolerance: 1e-6)
        let whole = x.logSumExp(axes: [0, 1])
        let total = values.map { exp(Double($0) - 1001) }.reduce(0, +)
        expectClose(whole, Tensor(Float(1001 + log(total))), tolerance: 1e-6)
    }

    @Test func logSumExpOfNegativeInfinitiesIsNegativeInfinity() {
        let x = Tensor(shape: [2, 2], scalars: [-.infinity, -.infinity, 0, -.infinity])
        let result = x.logSumExp(axes: [1], keepingDimensions: true)
        #expect(result.shape == [2, 1])
        #expect(result.scalars == [-.infinity, 0])
    }

    @Test func maxGradients() {
        expectGradientsMatch({ $0.max(axes: [1]) }, at: grid)
        expectGradientsMatch({ $0.max(axes: [0, 2], keepingDimensions: true) }, at: grid)
        expectGradientsMatch({ $0.max() }, at: grid)
    }

    @Test func minGradients() {
        expectGradientsMatch({ $0.min(axes: [-1]) }, at: grid)
        expectGradientsMatch({ $0.min(axes: [0, 1]) }, at: grid)
        expectGradientsMatch({ $0.min() }, at: grid)
    }

    @Test func logSumExpGradients() {
        expectGradientsMatch({ $0.logSumExp(axes: [2]) }, at: grid)
        expectGradientsMatch({ $0.logSumExp(axes: [0, 2], keepingDimensions: true) }, at: grid)
        expectGradientsMatch({ $0.logSumExp(axes: [1]) }, at: grid + 500)
    }

    @Test func matchPyTorch() throws {
        let fixture = try Fixture.load("unary_ops", in: .module)
        expectFixtureCase(fixture, name: "max_axis1", input: "grid") { $0.max(axes: [1]) }
        expectFixtureCase(fixture, name: "min_axes02", input: "grid") { $0.min(axes: [0, 2]) }
        expectFixtureCase(fixture, name: "logsumexp_axis2", input: "grid") {
            $0.logSumExp(axes: [2])
        }
        expectFixtureCase(fixture, name: "logsumexp_axes01", input: "grid") {
            $0.logSumExp(axes: [0, 1])
        }
    }

    @Test func reducingAnEmptyAxisTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros([2, 0]).max(axes: [1]) }
    }
}
