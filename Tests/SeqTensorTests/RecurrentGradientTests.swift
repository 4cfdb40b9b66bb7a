import SeqTensor
import SeqTesting
import Testing

/// Finite-difference checks of the fused recurrent ops with respect to every input: the
/// sequences, both initial states, the weights and the biases, with sequences of different
/// lengths, in both directions.
@Suite struct RecurrentGradientTests {
    var rng = SeededGenerator(seed: 17)

    /// Batch 3 of 4 padded steps, input size 3, hidden size 5.
    private mutating func points(gateCount: Int, biases: Int) -> [Tensor] {
        let h = 5
        var points = [
            Tensor.normal([3, 4, 3], using: &rng), .normal([3, h], using: &rng),
            .normal([3, h], using: &rng),
            .normal([gateCount * h, 3], standardDeviation: 0.5, using: &rng),
            .normal([gateCount * h, h], standardDeviation: 0.5, using: &rng),
        ]
        for _ in 0..<biases { points.append(.normal([gateCount * h], using: &rng)) }
        return points
    }

    /// Output, final hidden and (if present) final cell, flattened into one vector.
    private func flattened(_ result: RecurrentSequenceResult) -> Tensor {
        concatenate(
            [result.output, result.hidden, result.cell].compactMap { $0?.reshaped([-1]) },
            axis: 0)
    }

    @Test(arguments: [false, true], [nil, [4, 1, 3]])
    mutating func lstmSequence(reverse: Bool, lengths: [Int]?) {
        expectGradientsMatch(
            { p in
                flattened(
                    p[0].lstmSequence(
                        initialHidden: p[1], initialCell: p[2], inputWeight: p[3],
                        recurrentWeight: p[4], bias: p[5], lengths: lengths, reverse: reverse))
            }, at: points(gateCount: 4, biases: 1))
    }

    @Test mutating func lstmSequenceWithoutBias() {
        expectGradientsMatch(
            { p in
                flattened(
                    p[0].lstmSequence(
                        initialHidden: p[1], initialCell: p[2], inputWeight: p[3],
                        recurrentWeight: p[4], bias: nil, lengths: [2, 4, 0], reverse: true))
            }, at: points(gateCount: 4, biases: 0))
    }

    @Test(arguments: [false, true], [nil, [4, 1, 3]])
    mutating func gruSequence(reverse: Bool, lengths: [Int]?) {
        var p = points(gateCount: 3, biases: 2)
        p.remove(at: 2)  // no cell state
        expectGradientsMatch(
            { p in
                flattened(
                    p[0].gruSequence(
                        initialHidden: p[1], inputWeight: p[2], recurrentWeight: p[3],
                        inputBias: p[4], recurrentBias: p[5], lengths: lengths, reverse: reverse))
            }, at: p)
    }

    @Test mutating func gruSequenceWithoutBias() {
        var p = points(gateCount: 3, biases: 0)
        p.remove(at: 2)
        expectGradientsMatch(
            { p in
                flattened(
                    p[0].gruSequence(
                        initialHidden: p[1], inputWeight: p[2], recurrentWeight: p[3],
                        inputBias: nil, recurrentBias: nil, lengths: [2, 4, 0]))
            }, at: p)
    }

    @Test mutating func outputIsZeroPastEachLengthAndStatesStopThere() {
        let p = points(gateCount: 4, biases: 1)
        let full = p[0].lstmSequence(
            initialHidden: p[1], initialCell: p[2], inputWeight: p[3], recurrentWeight: p[4],
            bias: p[5], lengths: [4, 2, 0])
        let output = full.output.scalars
        // Sequence 1 stops after 2 steps, sequence 2 never starts: its state is the initial one.
        #expect(output[(1 * 4 + 2) * 5..<(3 * 4) * 5].allSatisfy { $0 == 0 })
        #expect(
            Array(full.hidden.scalars[5..<10]) == Array(output[(1 * 4 + 1) * 5..<(1 * 4 + 2) * 5]))
        #expect(Array(full.hidden.scalars[10..<15]) == Array(p[1].scalars[10..<15]))
        #expect(Array(full.cell?.scalars[10..<15] ?? []) == Array(p[2].scalars[10..<15]))
    }
}
