import SeqModels
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// Read–Process–Write: the encoding does not depend on the order of the set.
@Suite struct SetEncoderTests {
    var rng = SeededGenerator(seed: 31)

    /// `[1, n, d]` rows of `elements` in the order `permutation`.
    private func permuted(_ elements: Tensor, _ permutation: [Int]) -> Tensor {
        elements.indexSelect(axis: 1, indices: permutation.map { Int32($0) })
    }

    @Test(arguments: [0, 1, 5, 10])
    func encodingIsOrderInvariant(processSteps: Int) {
        var generator = SeededGenerator(seed: 32)
        let encoder = SetEncoder(hiddenSize: 8, processSteps: processSteps, using: &generator)
        let memory = Tensor.normal([1, 6, 8], using: &generator)
        let permutation = [4, 0, 5, 2, 1, 3]
        let original = encoder(memory, lengths: [6])
        let shuffled = encoder(permuted(memory, permutation), lengths: [6])
        expectClose(shuffled.readout, original.readout, tolerance: 1e-5)
        expectClose(shuffled.decoderState.hidden, original.decoderState.hidden, tolerance: 1e-5)
        expectClose(shuffled.decoderState.cell, original.decoderState.cell, tolerance: 1e-5)
        #expect(original.readout.shape == [1, 16])
        if processSteps == 0 {
            #expect(original.readout.scalars.allSatisfy { $0 == 0 })
        } else {
            #expect(original.readout.scalars.contains { $0 != 0 })
        }
    }

    @Test mutating func paddingIsIgnored() {
        let encoder = SetEncoder(hiddenSize: 4, processSteps: 3, using: &rng)
        let memory = Tensor.normal([2, 5, 4], using: &rng)
        let both = encoder(memory, lengths: [5, 3])
        let alone = encoder(memory.sliced(axis: 0, 1..<2).sliced(axis: 1, 0..<3), lengths: [3])
        expectClose(both.readout.sliced(axis: 0, 1..<2), alone.readout)
    }

    @Test(arguments: [0, 1, 5])
    func modelEncodingAndLossAreOrderInvariant(processSteps: Int) {
        var generator = SeededGenerator(seed: 33)
        let model = PointerNetwork(
            config: tinyPointerConfig(
                encoder: .readProcessWrite, elementSize: 1, processSteps: processSteps,
                glimpseCount: 1),
            using: &generator)
        let values: [Float] = [0.7, 0.1, 0.4, 0.9, 0.3]
        let permutation = [3, 0, 4, 1, 2]  // position i of the shuffled set holds values[p[i]]
        let shuffled = permutation.map { values[$0] }
        let original = model.encode(PointerBatch(inputs: [values], elementSize: 1))
        let reordered = model.encode(PointerBatch(inputs: [shuffled], elementSize: 1))
        expectClose(reordered.initialState.hidden, original.initialState.hidden, tolerance: 1e-5)
        expectClose(reordered.initialState.cell, original.initialState.cell, tolerance: 1e-5)
        // The same output sequence of values: sorted order, named in each input's positions.
        let sortedLoss = model.loss(
            PointerBatch(inputs: [values], elementSize: 1), targets: sortingTargets([values]))
        let shuffledLoss = model.loss(
            PointerBatch(inputs: [shuffled], elementSize: 1), targets: sortingTargets([shuffled]))
        expectClose(shuffledLoss, sortedLoss, tolerance: 1e-5)
    }

    @Test mutating func anLSTMEncoderIsNotOrderInvariant() {
        let model = PointerNetwork(config: tinyPointerConfig(elementSize: 1), using: &rng)
        let values: [Float] = [0.7, 0.1, 0.4, 0.9, 0.3]
        let shuffled: [Float] = [0.9, 0.7, 0.3, 0.1, 0.4]
        let first = model.encode(PointerBatch(inputs: [values], elementSize: 1))
        let second = model.encode(PointerBatch(inputs: [shuffled], elementSize: 1))
        let difference = (first.initialState.hidden - second.initialState.hidden).abs().max()
        #expect(difference.scalar > 1e-4)
    }
}
