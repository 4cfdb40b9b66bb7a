import SeqTensor
import SeqTesting
import Testing

@Suite struct IndexingValueTests {
    @Test func gatherPicksAlongTheAxis() {
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        // torch.gather's documented example.
        expectClose(
            x.gather(axis: 1, indices: Tensor(shape: [2, 2], scalars: [0, 0, 1, 0])),
            Tensor(shape: [2, 2], scalars: [1, 1, 4, 3]))
        // Indices smaller than `self` on the other axis; out[0][j] = x[idx[0][j]][j].
        expectClose(
            x.gather(axis: 0, indices: Tensor(shape: [1, 2], scalars: [1, 0])),
            Tensor(shape: [1, 2], scalars: [3, 2]))
        // Longer than `self` along the gathered axis: row 0 picks columns 1, 2, 0, 0, row 1
        // picks columns 0, 0, 2, 1.
        let y = Tensor(shape: [2, 3], scalars: [4, 5, 6, 7, 8, 9])
        expectClose(
            y.gather(axis: -1, indices: Tensor(shape: [2, 4], scalars: [1, 2, 0, 0, 0, 0, 2, 1])),
            Tensor(shape: [2, 4], scalars: [5, 6, 4, 4, 7, 7, 9, 8]))
    }

    @Test func scatterAddAccumulatesRepeatedIndices() {
        let ones = Tensor.ones([2, 3])
        let source = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        // Row 0: 1 + 2 into column 0, 3 into column 2; row 1: 4 + 5 + 6 into column 1.
        expectClose(
            ones.scatterAdd(
                axis: 1, indices: Tensor(shape: [2, 3], scalars: [0, 0, 2, 1, 1, 1]), source: source
            ),
            Tensor(shape: [2, 3], scalars: [4, 1, 4, 1, 16, 1]))
        // Along axis 0 with a source larger than the indices: only source[0..<2][0..<2] is used.
        let big = Tensor(shape: [3, 3], scalars: [1, 2, 10, 3, 4, 20, 30, 40, 50])
        expectClose(
            Tensor.zeros([2, 2]).scatterAdd(
                axis: 0, indices: Tensor(shape: [2, 2], scalars: [1, 0, 1, 1]), source: big),
            Tensor(shape: [2, 2], scalars: [0, 2, 4, 4]))
    }

    @Test func indexSelectKeepsOrderAndRepeats() {
        let x = Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5])
        expectClose(
            x.indexSelect(axis: 0, indices: [2, 0, 2]),
            Tensor(shape: [3, 2], scalars: [4, 5, 0, 1, 4, 5]))
        expectClose(
            x.indexSelect(axis: -1, indices: [1]), Tensor(shape: [3, 1], scalars: [1, 3, 5]))
        #expect(x.indexSelect(axis: 1, indices: []).shape == [3, 0])
    }

    @Test func embeddingLookupReturnsRowsInTheIdsShape() {
        let weight = Tensor(shape: [4, 2], scalars: [0, 1, 2, 3, 4, 5, 6, 7])
        expectClose(
            weight.embeddingLookup(ids: [3, 1, 3, 0], shape: [2, 2]),
            Tensor(shape: [2, 2, 2], scalars: [6, 7, 2, 3, 6, 7, 0, 1]))
        #expect(weight.embeddingLookup(ids: [2], shape: []).shape == [2])
    }

    @Test func embeddingGradientCountsRepeatedIds() {
        let weight = Tensor(shape: [4, 2], scalars: [0, 1, 2, 3, 4, 5, 6, 7])
        let weightGradient = gradient(
            of: { $0.embeddingLookup(ids: [3, 1, 3, 0], shape: [4]).sum() }, at: weight)
        // Row 3 is looked up twice, rows 1 and 0 once, row 2 never.
        expectClose(weightGradient, Tensor(shape: [4, 2], scalars: [1, 1, 1, 1, 0, 0, 2, 2]))
    }
}

@Suite struct IndexingGradientTests {
    var rng = SeededGenerator(seed: 5)

    @Test mutating func gather() {
        let lastAxis = Tensor(shape: [2, 3, 2], scalars: [0, 3, 3, 1, 2, 2, 1, 0, 3, 3, 0, 1])
        expectGradientsMatch(
            { $0.gather(axis: -1, indices: lastAxis) }, at: .normal([2, 3, 4], using: &rng))
        let firstAxis = Tensor(shape: [3, 2], scalars: [1, 0, 1, 1, 0, 1])
        expectGradientsMatch(
            { $0.gather(axis: 0, indices: firstAxis) }, at: .normal([2, 3], using: &rng))
    }

    @Test mutating func indexSelectWithRepeatedIndices() {
        expectGradientsMatch(
            { $0.indexSelect(axis: 1, indices: [2, 0, 2, 2]) }, at: .normal([2, 3, 4], using: &rng))
        expectGradientsMatch(
            { $0.indexSelect(axis: 0, indices: [1, 1, 0]) }, at: .normal([2, 5], using: &rng))
    }

    @Test mutating func embeddingLookupWithRepeatedIds() {
        expectGradientsMatch(
            { $0.embeddingLookup(ids: [4, 1, 4, 0, 4, 2], shape: [2, 3]) },
            at: .normal([5, 3], using: &rng))
    }

    @Test mutating func scatterAddBothInputs() {
        let indices = Tensor(shape: [2, 3], scalars: [0, 0, 3, 2, 2, 2])
        expectGradientsMatch(
            { $0[0].scatterAdd(axis: 1, indices: indices, source: $0[1]) },
            at: [.normal([2, 4], using: &rng), .normal([2, 3], using: &rng)])
        // A source larger than the indices: its unused elements get zero gradient.
        let rows = Tensor(shape: [2, 2], scalars: [1, 0, 1, 1])
        expectGradientsMatch(
            { $0[0].scatterAdd(axis: 0, indices: rows, source: $0[1]) * $0[0] },
            at: [.normal([2, 3], using: &rng), .normal([3, 2], using: &rng)])
    }
}

@Suite struct IndexingPreconditionTests {
    @Test func embeddingLookupNamesTheIdAndVocabularySize() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        {
            _ = Tensor.zeros([4, 2]).embeddingLookup(ids: [1, 7], shape: [2])
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(
            message.contains(
                "embeddingLookup: id 7 at position 1 is out of range for vocabulary size 4"))
    }

    @Test func gatherRejectsAnIndexOutsideTheAxis() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        {
            _ = Tensor.zeros([2, 3]).gather(
                axis: 1, indices: Tensor(shape: [2, 1], scalars: [0, 3]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("gather: index 3.0 at position 1 is out of range"))
    }
}
