import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// Checks of the `LSTM` and `GRU` layers that need no PyTorch.
///
/// Parameter names, equality with the composed cells run step by step, padding, dropout and
/// finite-difference gradients. PyTorch parity is in `RecurrentParityTests`.
@Suite struct RecurrentLayerTests {
    var rng = SeededGenerator(seed: 31)
    static let lengths = [4, 1, 3]
    static let shapes: [(layers: Int, bidirectional: Bool)] = [(1, false), (2, true), (3, false)]

    @Test mutating func parameterNamesAreTorchs() {
        let lstm = LSTM(
            inputSize: 3, hiddenSize: 2, layers: 2, bidirectional: true, dropout: 0.1,
            using: &rng)
        let paths = lstm.namedParameters().map { "\($0.path) \($0.parameter.shape)" }
        #expect(
            paths == [
                "weight_ih_l0 [8, 3]", "weight_hh_l0 [8, 2]", "bias_ih_l0 [8]", "bias_hh_l0 [8]",
                "weight_ih_l0_reverse [8, 3]", "weight_hh_l0_reverse [8, 2]",
                "bias_ih_l0_reverse [8]", "bias_hh_l0_reverse [8]",
                "weight_ih_l1 [8, 4]", "weight_hh_l1 [8, 2]", "bias_ih_l1 [8]", "bias_hh_l1 [8]",
                "weight_ih_l1_reverse [8, 4]", "weight_hh_l1_reverse [8, 2]",
                "bias_ih_l1_reverse [8]", "bias_hh_l1_reverse [8]",
            ])
        let gru = GRU(inputSize: 3, hiddenSize: 2, layers: 2, bias: false, using: &rng)
        #expect(
            gru.namedParameters().map { "\($0.path) \($0.parameter.shape)" } == [
                "weight_ih_l0 [6, 3]", "weight_hh_l0 [6, 2]", "weight_ih_l1 [6, 2]",
                "weight_hh_l1 [6, 2]",
            ])
    }

    @Test mutating func stateDictionaryRoundTrips() throws {
        let source = LSTM(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true, using: &rng)
        let target = LSTM(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true, using: &rng)
        try target.load(source.stateDictionary(), from: "memory")
        let x = Tensor.normal([2, 3, 3], using: &rng)
        expectClose(target(x).output, source(x).output, tolerance: 0)
    }

    @Test(arguments: shapes)
    mutating func lstmEqualsComposedCellsStepByStep(layers: Int, bidirectional: Bool) {
        let lstm = LSTM(
            inputSize: 3, hiddenSize: 5, layers: layers, bidirectional: bidirectional,
            using: &rng)
        let stateShape = [lstm.cells.count, 3, 5]
        let x = Tensor.normal([3, 4, 3], using: &rng)
        let state = LSTMState(
            hidden: .normal(stateShape, using: &rng), cell: .normal(stateShape, using: &rng))
        expectFusedMatchesComposed(module: lstm) {
            let result = lstm(x, initialState: state, lengths: Self.lengths)
            return (result.output, [result.state.hidden, result.state.cell])
        } composed: {
            composedStackedRun(
                x, lengths: Self.lengths, layerCount: layers, directionCount: lstm.directionCount,
                initial: { index, b in initialPart([state.hidden, state.cell], index, b) }
            ) { index, input, state in
                let next = composedLSTMStep(
                    lstm.cells[index], input, LSTMState(hidden: state[0], cell: state[1]))
                return [next.hidden, next.cell]
            }
        }
    }

    @Test(arguments: shapes)
    mutating func gruEqualsComposedCellsStepByStep(layers: Int, bidirectional: Bool) {
        let gru = GRU(
            inputSize: 3, hiddenSize: 5, layers: layers, bidirectional: bidirectional,
            using: &rng)
        let x = Tensor.normal([3, 4, 3], using: &rng)
        let hidden = Tensor.normal([gru.cells.count, 3, 5], using: &rng)
        expectFusedMatchesComposed(module: gru) {
            let result = gru(x, initialHidden: hidden, lengths: Self.lengths)
            return (result.output, [result.hidden])
        } composed: {
            composedStackedRun(
                x, lengths: Self.lengths, layerCount: layers, directionCount: gru.directionCount,
                initial: { index, b in initialPart([hidden], index, b) }
            ) { index, input, state in [composedGRUStep(gru.cells[index], input, state[0])] }
        }
    }

    @Test mutating func paddingNeverChangesAResult() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true, using: &rng)
        let x = Tensor.normal([3, 4, 3], using: &rng)
        // The same batch with other values in the padded positions.
        let mask = Tensor(
            shape: [3, 4, 1],
            scalars: (0..<3).flatMap { b in (0..<4).map { $0 < Self.lengths[b] ? 1 : 0 } })
        let repadded = x * mask + Tensor.normal([3, 4, 3], using: &rng) * (1 - mask)
        let (first, second) = (
            lstm(x, lengths: Self.lengths), lstm(repadded, lengths: Self.lengths)
        )
        expectClose(first.output, second.output, tolerance: 0)
        expectClose(first.state.hidden, second.state.hidden, tolerance: 0)
        // Each sequence alone, unpadded, gives what it gave in the batch.
        for (b, length) in Self.lengths.enumerated() {
            let alone = lstm(x.sliced(axis: 0, b..<(b + 1)).sliced(axis: 1, 0..<length))
            expectClose(
                alone.output,
                first.output.sliced(axis: 0, b..<(b + 1)).sliced(axis: 1, 0..<length),
                tolerance: 1e-6)
            expectClose(
                alone.state.cell, first.state.cell.sliced(axis: 1, b..<(b + 1)), tolerance: 1e-6)
        }
        let inputGradient = gradient(
            of: { (lstm($0, lengths: Self.lengths).output * 1.5).sum() }, at: x)
        #expect(((1 - mask) * inputGradient).scalars.allSatisfy { $0 == 0 })
    }

    @Test mutating func dropoutActsBetweenLayersWhileTraining() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 8, layers: 2, dropout: 0.5, using: &rng)
        #expect(lstm.modules().contains { $0 === lstm.dropout })
        var generator = rng
        let twin = LSTM(inputSize: 3, hiddenSize: 8, layers: 2, using: &generator)
        try? twin.load(lstm.stateDictionary(), from: "memory")
        let x = Tensor.normal([2, 5, 3], using: &rng)
        let training = lstm(x).output
        lstm.setTraining(false)
        let evaluation = lstm(x).output
        expectClose(evaluation, twin(x).output, tolerance: 0)
        #expect(training.scalars != evaluation.scalars)
        let single = LSTM(inputSize: 3, hiddenSize: 8, layers: 1, dropout: 0.5, using: &rng)
        #expect(single.dropout == nil)
    }

    @Test mutating func parameterGradientsMatchFiniteDifferences() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true, using: &rng)
        let gru = GRU(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true, using: &rng)
        let x = Tensor.normal([3, 4, 3], using: &rng)
        expectParameterGradientsMatch(of: lstm) {
            let result = lstm(x, lengths: Self.lengths)
            return concatenate(
                [result.output.reshaped([-1]), result.state.cell.reshaped([-1])], axis: 0)
        }
        expectParameterGradientsMatch(of: gru) {
            let result = gru(x, lengths: Self.lengths)
            return concatenate(
                [result.output.reshaped([-1]), result.hidden.reshaped([-1])], axis: 0)
        }
    }
}

/// Row `b` of direction `index` of each stacked state part, as `[1, hidden]`.
private func initialPart(_ parts: [Tensor], _ index: Int, _ b: Int) -> [Tensor] {
    parts.map {
        $0.sliced(axis: 0, index..<(index + 1)).sliced(axis: 1, b..<(b + 1)).reshaped([1, -1])
    }
}

/// Expects a fused layer run and a composed per-sequence run to give the same outputs at real
/// positions, zeros at padded ones, the same final states, and the same parameter gradients
/// for a random weighting of all of them.
private func expectFusedMatchesComposed(
    module: some Module, sourceLocation: SourceLocation = #_sourceLocation,
    fused: () -> (output: Tensor, states: [Tensor]),
    composed: () -> [(output: Tensor, finals: [[Tensor]])]
) {
    let lengths = RecurrentLayerTests.lengths
    func fusedValues() -> Tensor {
        let (output, states) = fused()
        var pieces: [Tensor] = []
        for (b, length) in lengths.enumerated() {
            let rows = output.sliced(axis: 0, b..<(b + 1))
            pieces.append(rows.sliced(axis: 1, 0..<length).reshaped([-1]))
            for index in 0..<states[0].shape[0] {
                for state in states {
                    pieces.append(
                        state.sliced(axis: 0, index..<(index + 1)).sliced(axis: 1, b..<(b + 1))
                            .reshaped([-1]))
                }
            }
        }
        let padded = (0..<lengths.count).flatMap { b in
            output.sliced(axis: 0, b..<(b + 1)).sliced(axis: 1, lengths[b]..<output.shape[1])
                .scalars
        }
        #expect(padded.allSatisfy { $0 == 0 }, sourceLocation: sourceLocation)
        return concatenate(pieces, axis: 0)
    }
    func composedValues() -> Tensor {
        let pieces = composed().flatMap { run in
            [run.output.reshaped([-1])] + run.finals.flatMap { $0.map { $0.reshaped([-1]) } }
        }
        return concatenate(pieces, axis: 0)
    }
    var generator = SeededGenerator(seed: 3)
    let values = withoutGradients { fusedValues() }
    let weights = Tensor.normal(values.shape, using: &generator)
    expectClose(values, withoutGradients { composedValues() }, sourceLocation: sourceLocation)
    var gradients: [[Tensor]] = []
    for isFused in [true, false] {
        module.zeroGradients()
        ((isFused ? fusedValues() : composedValues()) * weights).sum().backward()
        gradients.append(module.parameters().map { $0.gradient ?? .zeros($0.shape) })
    }
    for (path, (fusedGradient, composedGradient)) in zip(
        module.namedParameters().map(\.path), zip(gradients[0], gradients[1]))
    {
        #expect(
            fusedGradient.scalars.contains { $0 != 0 }, "\(path)", sourceLocation: sourceLocation)
        expectClose(
            fusedGradient, composedGradient, tolerance: 1e-5, sourceLocation: sourceLocation)
    }
    module.zeroGradients()
}
