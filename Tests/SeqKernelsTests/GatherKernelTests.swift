import SeqKernels
import Testing

/// A fixed linear congruential stream, so index patterns are the same on every run.
private struct IndexStream {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// The next value in `0..<bound`.
    mutating func next(below bound: Int) -> Int32 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int32((state >> 33) % UInt64(bound))
    }

    /// `count` values in `0..<bound`.
    mutating func indices(_ count: Int, below bound: Int) -> [Int32] {
        (0..<count).map { _ in next(below: bound) }
    }
}

/// Inner-axis sizes every gather kernel is checked at.
private let innerSizes = [1, 15, 16, 17, 1000]

private func values(_ count: Int, offset: Float = 0.5) -> [Float] {
    (0..<count).map { Float($0 % 97) * 0.25 + offset }
}

/// Runs `kernel` with `input` and `indices` on a copy of `initial`, returning the result.
private func run(
    _ input: [Float], _ indices: [Int32], initial: [Float],
    _ kernel: (UnsafePointer<Float>, UnsafePointer<Int32>, UnsafeMutablePointer<Float>) -> Void
) -> [Float] {
    var result = initial
    input.withUnsafeBufferPointer { source in
        indices.withUnsafeBufferPointer { index in
            result.withUnsafeMutableBufferPointer { destination in
                guard let x = source.baseAddress, let i = index.baseAddress,
                    let out = destination.baseAddress
                else { return }
                kernel(x, i, out)
            }
        }
    }
    return result
}

/// Shapes `(self, indices)` for torch-style gather and scatter along `axis`: the index tensor
/// may be shorter than `self` on every axis but the gathered one, where it may be longer.
private func gatherCases() -> [(shape: [Int], indexShape: [Int], axis: Int)] {
    var cases: [(shape: [Int], indexShape: [Int], axis: Int)] = []
    for inner in innerSizes {
        cases.append(([inner], [inner + 3], 0))
        cases.append(([3, inner], [3, inner], 0))
        cases.append(([3, inner], [2, inner], 1))
        cases.append(([3, inner], [3, max(1, inner - 1)], 1))
        cases.append(([2, 5, inner], [2, 7, inner], 1))
        cases.append(([2, 5, inner], [1, 4, inner], 2))
        cases.append(([2, 5, inner], [3, 4, max(1, inner / 2)], 0))
        cases.append(([2, 1, 3, 2, inner], [2, 1, 4, 2, inner], 2))
        cases.append(([2, 1, 3, 2, inner], [1, 1, 2, 2, inner], 4))
    }
    cases.append(([64, 40, 100], [64, 33, 100], 1))  // threaded over outer blocks
    cases.append(([40, 3000], [70, 3000], 0))  // threaded over columns
    cases.append(([300, 500], [300, 200], 1))  // threaded over rows
    return cases
}

/// Where the fast and naive results first differ, or `nil`; keeps failure messages short.
private func firstDifference(_ fast: [Float], _ naive: [Float]) -> String? {
    guard fast.count == naive.count else { return "\(fast.count) elements vs \(naive.count)" }
    guard let i = fast.indices.first(where: { fast[$0] != naive[$0] }) else { return nil }
    return "element \(i): fast \(fast[i]), naive \(naive[i])"
}

@Suite struct GatherKernelTests {
    @Test func gatherMatchesReference() {
        var stream = IndexStream(seed: 1)
        for (shape, indexShape, axis) in gatherCases() {
            let input = values(shape.reduce(1, *))
            let indices = stream.indices(indexShape.reduce(1, *), below: shape[axis])
            let initial = [Float](repeating: -7, count: indices.count)
            let fast = run(input, indices, initial: initial) {
                gatherAlongAxis(
                    $0, shape: shape, axis: axis, indices: $1, indexShape: indexShape, $2)
            }
            let naive = run(input, indices, initial: initial) {
                referenceGatherAlongAxis(
                    $0, shape: shape, axis: axis, indices: $1, indexShape: indexShape, $2)
            }
            #expect(
                firstDifference(fast, naive) == nil,
                "gather \(shape) along \(axis) by \(indexShape)")
        }
    }

    @Test func scatterAddMatchesReference() {
        var stream = IndexStream(seed: 2)
        for (shape, indexShape, axis) in gatherCases() {
            // The source may be larger than the index tensor; only the indexed part is used.
            let sourceShape = indexShape.enumerated().map {
                $0.offset == 0 ? $0.element + 1 : $0.element
            }
            let source = values(sourceShape.reduce(1, *), offset: 0.125)
            let indices = stream.indices(indexShape.reduce(1, *), below: shape[axis])
            let initial = values(shape.reduce(1, *), offset: 0.75)
            let fast = run(source, indices, initial: initial) {
                scatterAddAlongAxis(
                    $0, sourceShape: sourceShape, axis: axis, indices: $1,
                    indexShape: indexShape, into: $2, shape: shape)
            }
            let naive = run(source, indices, initial: initial) {
                referenceScatterAddAlongAxis(
                    $0, sourceShape: sourceShape, axis: axis, indices: $1,
                    indexShape: indexShape, into: $2, shape: shape)
            }
            // Both add each element's contributions in index order, so the sums agree exactly.
            #expect(
                firstDifference(fast, naive) == nil,
                "scatterAdd \(sourceShape) into \(shape) along \(axis)")
        }
    }

    @Test func indexSelectMatchesReference() {
        var stream = IndexStream(seed: 3)
        for inner in innerSizes + [4096] {
            for (outer, axisLength, indexCount) in [(1, 5, 9), (3, 4, 1), (7, 6, 17), (1, 50, 300)]
            {
                let input = values(outer * axisLength * inner)
                let indices = stream.indices(indexCount, below: axisLength)
                let initial = [Float](repeating: -7, count: outer * indexCount * inner)
                let fast = run(input, indices, initial: initial) {
                    indexSelectCopy(
                        $0, outer: outer, axisLength: axisLength, inner: inner, indices: $1,
                        indexCount: indexCount, $2)
                }
                let naive = run(input, indices, initial: initial) {
                    referenceIndexSelectCopy(
                        $0, outer: outer, axisLength: axisLength, inner: inner, indices: $1,
                        indexCount: indexCount, $2)
                }
                #expect(
                    firstDifference(fast, naive) == nil,
                    "indexSelect [\(outer), \(axisLength), \(inner)] × \(indexCount)")
            }
        }
    }

    @Test func indexAddMatchesReferenceWithRepeatedIndices() {
        var stream = IndexStream(seed: 4)
        for inner in innerSizes + [4096] {
            for (outer, axisLength, indexCount) in [(1, 5, 9), (3, 4, 1), (7, 6, 17), (1, 3, 300)] {
                let source = values(outer * indexCount * inner, offset: 0.125)
                let indices = stream.indices(indexCount, below: axisLength)
                let initial = values(outer * axisLength * inner, offset: 0.75)
                let fast = run(source, indices, initial: initial) {
                    indexAddAccumulate(
                        $0, outer: outer, indexCount: indexCount, inner: inner, indices: $1,
                        into: $2, axisLength: axisLength)
                }
                let naive = run(source, indices, initial: initial) {
                    referenceIndexAddAccumulate(
                        $0, outer: outer, indexCount: indexCount, inner: inner, indices: $1,
                        into: $2, axisLength: axisLength)
                }
                #expect(
                    firstDifference(fast, naive) == nil,
                    "indexAdd [\(outer), \(indexCount), \(inner)] → \(axisLength)")
            }
        }
    }
}
