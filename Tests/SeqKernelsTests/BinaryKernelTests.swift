import SeqKernels
import Testing

/// The broadcasting binary kernel and `sumAxis` against their naive twins.
@Suite struct BinaryKernelTests {
    private static let operators: [BinaryOperator] = [
        .add, .subtract, .multiply, .divide, .maximum, .minimum, .equal, .less, .lessOrEqual,
        .greater, .greaterOrEqual, .power,
    ]

    /// `(left shape, right shape)` pairs: equal shapes at the odd sizes, then scalars on either
    /// side and broadcasts on inner, outer and middle axes.
    private static let shapePairs: [([Int], [Int])] =
        kernelTestSizes.flatMap { n in [([n], [n]), ([n], []), ([], [n]), ([2, n], [1, n])] }
        + [
            ([3, 1, 17], [1, 5, 1]), ([4, 15], [4, 1]), ([2, 3, 16], [3, 1]), ([1000, 1], [1, 3]),
        ]

    private static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in shape.indices.reversed() {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// Strides reading `shape` as `target` (right-aligned), 0 on broadcast axes.
    private static func strides(of shape: [Int], to target: [Int]) -> [Int] {
        let own = contiguousStrides(shape)
        let offset = target.count - shape.count
        return target.indices.map { axis in
            axis < offset || shape[axis - offset] == 1 ? 0 : own[axis - offset]
        }
    }

    @Test(arguments: operators)
    func broadcastMatchesNaive(_ op: BinaryOperator) {
        for (leftShape, rightShape) in Self.shapePairs {
            let rank = max(leftShape.count, rightShape.count)
            let padded = { (s: [Int]) in [Int](repeating: 1, count: rank - s.count) + s }
            let shape = zip(padded(leftShape), padded(rightShape)).map { max($0, $1) }
            // Positive bases keep `power` real; quarters make equalities happen.
            let range: ClosedRange<Float> = op == .power ? 0.25...3 : -3...3
            let a = spread(leftShape.reduce(1, *), over: range).map { ($0 * 4).rounded() / 4 }
            let b = spread(rightShape.reduce(1, *), over: range, phase: 0.6)
                .map { ($0 * 4).rounded() / 4 }
            let (leftStrides, rightStrides) =
                (Self.strides(of: leftShape, to: shape), Self.strides(of: rightShape, to: shape))
            var fast = [Float](repeating: .nan, count: shape.reduce(1, *))
            var naive = fast
            binaryBroadcast(
                op, a, b, &fast,
                layout: BroadcastLayout(
                    shape: shape, leftStrides: leftStrides, rightStrides: rightStrides))
            referenceBinaryBroadcast(
                op, a, b, &naive, shape: shape, leftStrides: leftStrides, rightStrides: rightStrides
            )
            // Exact, with 0 / 0 giving NaN in both.
            expectElementsClose(
                fast, naive, relative: 0, absolute: 0, "\(op) \(leftShape) with \(rightShape)")
        }
    }

    @Test func sumAxisMatchesNaive() {
        let blocks =
            kernelTestSizes.flatMap { n in [(1, n, 1), (3, n, 1), (1, n, 17), (2, 5, n)] }
            + [(1, 3, 100_000), (40, 1_000, 1)]
        for (outer, length, inner) in blocks {
            let x = spread(outer * length * inner, over: -2...2)
            var fast = [Float](repeating: .nan, count: outer * inner)
            var naive = fast
            sumAxis(x, &fast, outer: outer, length: length, inner: inner)
            referenceSumAxis(x, &naive, outer: outer, length: length, inner: inner)
            expectElementsClose(
                fast, naive, relative: 1e-5, absolute: 1e-4, "sum [\(outer), \(length), \(inner)]")
        }
    }
}
