import SeqTensor
import SeqTesting
import Testing

/// `0, 1, 2, …` in `shape`, so every expected value below can be read off by hand.
private func counting(_ shape: [Int]) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map(Float.init))
}

@Suite struct ShapingValueTests {
    @Test func transposeSwapsAxes() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        expectClose(x.transposed(), Tensor(shape: [3, 2], scalars: [1, 4, 2, 5, 3, 6]))
        expectClose(x.transposed(0, 1), x.transposed(-1, -2))
        // [2, 2, 3] → [2, 3, 2]: each 2 × 3 matrix transposed.
        expectClose(
            counting([2, 2, 3]).transposed(),
            Tensor(shape: [2, 3, 2], scalars: [0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11]))
        // Swapping the outer two of [2, 3, 1]: out[b][a][0] = x[a][b][0] = 3a + b.
        expectClose(
            counting([2, 3, 1]).transposed(0, 1),
            Tensor(shape: [3, 2, 1], scalars: [0, 3, 1, 4, 2, 5]))
    }

    @Test func permuteMovesEveryAxis() {
        // x[a][b][c] = 6a + 2b + c; out[c][a][b] = x[a][b][c].
        expectClose(
            counting([2, 3, 2]).permuted([2, 0, 1]),
            Tensor(shape: [2, 2, 3], scalars: [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11]))
        // Attention reshuffle [B, T, H, D] → [B, H, T, D]: x[0][t][h][d] = 4t + 2h + d.
        expectClose(
            counting([1, 2, 2, 2]).permuted([0, 2, 1, 3]),
            Tensor(shape: [1, 2, 2, 2], scalars: [0, 1, 4, 5, 2, 3, 6, 7]))
        expectClose(
            counting([2, 3, 2]).permuted([-1, 0, -2]), counting([2, 3, 2]).permuted([2, 0, 1]))
        expectClose(counting([2, 3]).permuted([0, 1]), counting([2, 3]))
    }

    @Test func squeezeAndUnsqueezeOnlyChangeTheShape() {
        let x = counting([2, 1, 3])
        #expect(x.squeezed(axis: 1).shape == [2, 3])
        #expect(x.squeezed(axis: -2).scalars == x.scalars)
        #expect(x.unsqueezed(axis: 0).shape == [1, 2, 1, 3])
        #expect(x.unsqueezed(axis: 3).shape == [2, 1, 3, 1])
        #expect(x.unsqueezed(axis: -1).shape == [2, 1, 3, 1])
        #expect(x.unsqueezed(axis: -4).shape == [1, 2, 1, 3])
    }

    @Test func sliceCopiesARange() {
        let x = counting([3, 4])
        expectClose(x.sliced(axis: 1, 1..<3), Tensor(shape: [3, 2], scalars: [1, 2, 5, 6, 9, 10]))
        expectClose(x.sliced(axis: 0, 2..<3), Tensor(shape: [1, 4], scalars: [8, 9, 10, 11]))
        expectClose(x.sliced(axis: -1, 3..<4), Tensor(shape: [3, 1], scalars: [3, 7, 11]))
        #expect(x.sliced(axis: 0, 1..<1).shape == [0, 4])
        expectClose(x.sliced(axis: 1, 0..<4), x)
    }

    @Test func concatenateJoinsAlongTheAxis() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 1], scalars: [5, 6])
        let c = Tensor(shape: [1, 2], scalars: [7, 8])
        expectClose(
            concatenate([a, b], axis: 1), Tensor(shape: [2, 3], scalars: [1, 2, 5, 3, 4, 6]))
        expectClose(
            concatenate([a, c], axis: 0), Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 7, 8]))
        expectClose(
            concatenate([b, a, b], axis: -1),
            Tensor(shape: [2, 4], scalars: [5, 1, 2, 5, 6, 3, 4, 6]))
        expectClose(concatenate([a], axis: 0), a)
    }

    @Test func stackAddsAnAxis() {
        let a = Tensor([1, 2])
        let b = Tensor([3, 4])
        expectClose(stack([a, b], axis: 0), Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        expectClose(stack([a, b], axis: 1), Tensor(shape: [2, 2], scalars: [1, 3, 2, 4]))
        expectClose(
            stack([a, b, a], axis: -1), Tensor(shape: [2, 3], scalars: [1, 3, 1, 2, 4, 2]))
    }

    @Test func splitCutsConsecutivePieces() {
        let pieces = counting([3, 2]).split(sizes: [1, 2], axis: 0)
        expectClose(pieces[0], Tensor(shape: [1, 2], scalars: [0, 1]))
        expectClose(pieces[1], Tensor(shape: [2, 2], scalars: [2, 3, 4, 5]))
        let halves = counting([2, 4]).split(count: 2, axis: -1)
        expectClose(halves[0], Tensor(shape: [2, 2], scalars: [0, 1, 4, 5]))
        expectClose(halves[1], Tensor(shape: [2, 2], scalars: [2, 3, 6, 7]))
        #expect(counting([4]).split(sizes: [0, 4, 0], axis: 0).map(\.shape) == [[0], [4], [0]])
    }

    @Test func padAddsValuesAroundTrailingAxes() {
        let x = counting([2, 2])
        // One pair per axis, outermost first: axis 0 gets one row before, axis 1 two after.
        expectClose(
            x.padded([(before: 1, after: 0), (before: 0, after: 2)], value: 9),
            Tensor(shape: [3, 4], scalars: [9, 9, 9, 9, 0, 1, 9, 9, 2, 3, 9, 9]))
        // A single pair pads only the last axis.
        expectClose(
            x.padded([(before: 1, after: 1)], value: 9),
            Tensor(shape: [2, 4], scalars: [9, 0, 1, 9, 9, 2, 3, 9]))
        expectClose(
            Tensor([5]).padded([(before: 2, after: 1)]), Tensor([0, 0, 5, 0]))
        expectClose(x.padded([]), x)
    }
}

@Suite struct ShapingGradientTests {
    var rng = SeededGenerator(seed: 11)

    @Test mutating func transposed() {
        expectGradientsMatch({ $0.transposed() }, at: .normal([2, 3, 4], using: &rng))
        expectGradientsMatch({ $0.transposed(0, 2) }, at: .normal([2, 3, 4], using: &rng))
    }

    @Test mutating func permuted() {
        expectGradientsMatch(
            { $0.permuted([0, 2, 1, 3]) }, at: .normal([2, 3, 2, 4], using: &rng))
        expectGradientsMatch({ $0.permuted([2, 0, 1]) }, at: .normal([2, 3, 4], using: &rng))
    }

    @Test mutating func squeezedAndUnsqueezed() {
        expectGradientsMatch(
            { $0.squeezed(axis: 1).unsqueezed(axis: 0) }, at: .normal([3, 1, 2], using: &rng))
    }

    @Test mutating func sliced() {
        expectGradientsMatch({ $0.sliced(axis: 1, 1..<3) }, at: .normal([2, 4, 3], using: &rng))
        expectGradientsMatch({ $0.sliced(axis: 0, 0..<1) }, at: .normal([3, 5], using: &rng))
    }

    @Test mutating func concatenateDifferentLengths() {
        expectGradientsMatch(
            { concatenate($0, axis: 1) },
            at: [
                .normal([2, 1, 3], using: &rng), .normal([2, 3, 3], using: &rng),
                .normal([2, 2, 3], using: &rng),
            ])
        expectGradientsMatch(
            { concatenate([$0[0], $0[1], $0[0]], axis: 0) },
            at: [.normal([1, 4], using: &rng), .normal([2, 4], using: &rng)])
    }

    @Test mutating func stack() {
        expectGradientsMatch(
            { SeqTensor.stack($0, axis: 1) },
            at: [
                .normal([2, 3], using: &rng), .normal([2, 3], using: &rng),
                .normal([2, 3], using: &rng),
            ])
    }

    @Test mutating func splitPiecesWeightedDifferently() {
        expectGradientsMatch(
            { x in
                let pieces = x.split(sizes: [1, 3, 2], axis: 1)
                return concatenate([pieces[2] * 3, pieces[0], pieces[1] * -0.5], axis: 1)
            }, at: .normal([2, 6, 2], using: &rng))
        expectGradientsMatch(
            { x in
                let pieces = x.split(count: 3, axis: 0)
                return pieces[0] * 2 + pieces[2] * pieces[1]
            }, at: .normal([6, 2], using: &rng))
    }

    @Test mutating func padded() {
        expectGradientsMatch(
            { $0.padded([(before: 1, after: 0), (before: 2, after: 1)], value: 0.5) },
            at: .normal([2, 3, 2], using: &rng))
    }
}

@Suite struct ShapingPreconditionTests {
    @Test func concatenateNamesTheShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        {
            _ = concatenate([.zeros([2, 3]), .zeros([3, 2])], axis: 0)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("concatenate: shapes [[2, 3], [3, 2]] differ outside axis 0"))
    }

    @Test func splitNamesTheIndivisibleAxis() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        {
            _ = Tensor.zeros([2, 5]).split(count: 2, axis: 1)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("split: axis 1 of shape [2, 5] (length 5)"))
    }
}
