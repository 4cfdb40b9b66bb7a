import SeqKernels
import Testing

/// The broadcasting select kernel against its naive twin.
@Suite struct SelectKernelTests {
    /// `(condition, whenTrue, whenFalse)` shapes already padded to the output's rank.
    private static let cases: [([Int], [Int], [Int])] =
        kernelTestSizes.flatMap { n in
            [
                ([n], [n], [n]), ([n], [1], [n]), ([n], [n], [1]), ([1], [n], [n]),
                ([2, n], [1, n], [2, 1]), ([1, n], [3, n], [1, 1]),
            ]
        } + [([2, 1, 17], [1, 3, 17], [2, 3, 1]), ([4, 1, 1], [1, 5, 16], [4, 5, 16])]

    private static func strides(_ shape: [Int], _ target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: shape.count)
        var running = 1
        for axis in shape.indices.reversed() {
            strides[axis] = shape[axis] == 1 && target[axis] != 1 ? 0 : running
            running *= shape[axis]
        }
        return strides
    }

    @Test func selectMatchesNaive() {
        for (conditionShape, trueShape, falseShape) in Self.cases {
            let shape = conditionShape.indices.map {
                max(conditionShape[$0], trueShape[$0], falseShape[$0])
            }
            // Zeros, ones and a NaN condition (which counts as true).
            var condition = spread(conditionShape.reduce(1, *), over: 0...1.99).map {
                $0.rounded(.down)
            }
            if condition.count > 3 { condition[3] = .nan }
            let whenTrue = spread(trueShape.reduce(1, *), over: 1...2)
            let whenFalse = spread(falseShape.reduce(1, *), over: -2...(-1))
            let (c, t, f) = (
                Self.strides(conditionShape, shape), Self.strides(trueShape, shape),
                Self.strides(falseShape, shape)
            )
            var fast = [Float](repeating: .nan, count: shape.reduce(1, *))
            var naive = fast
            selectBroadcast(
                condition, whenTrue, whenFalse, &fast,
                layout: SelectLayout(
                    shape: shape, conditionStrides: c, trueStrides: t, falseStrides: f))
            referenceSelect(
                condition, whenTrue, whenFalse, &naive, shape: shape, conditionStrides: c,
                trueStrides: t, falseStrides: f)
            #expect(fast == naive, "select \(conditionShape), \(trueShape), \(falseShape)")
        }
    }

    @Test func unchosenInfinitiesDoNotLeak() {
        let condition: [Float] = [1, 0, 1, 0] + [Float](repeating: 1, count: 16)
        let whenTrue = [Float](repeating: 5, count: 20)
        var out = [Float](repeating: 0, count: 20)
        let minusInfinity: [Float] = [-.infinity]
        selectBroadcast(
            condition, whenTrue, minusInfinity, &out,
            layout: SelectLayout(
                shape: [20], conditionStrides: [1], trueStrides: [1], falseStrides: [0]))
        #expect(out == [5, -.infinity, 5, -.infinity] + [Float](repeating: 5, count: 16))
    }
}
