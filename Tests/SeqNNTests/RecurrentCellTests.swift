import Foundation
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// `LSTMCell` and `GRUCell` against PyTorch (tools/fixtures/make_recurrent.py), their
/// parameter names, initialisation and finite-difference gradients.
@Suite struct RecurrentCellTests {
    var rng = SeededGenerator(seed: 21)

    @Test mutating func lstmCellMatchesPyTorch() throws {
        let fixture = try Fixture.load("recurrent_lstm_cell", in: .module)
        let cell = LSTMCell(inputSize: 3, hiddenSize: 4, using: &rng)
        load(fixture, into: cell)
        let upstreamHidden = fixture["hiddenGradient"]
        let upstreamCell = fixture["cellGradient"]
        func run(_ inputs: [Tensor]) -> LSTMState {
            cell(inputs[0], state: LSTMState(hidden: inputs[1], cell: inputs[2]))
        }
        let inputs = [fixture["input"], fixture["hidden0"], fixture["cell0"]]
        let state = withoutGradients { run(inputs) }
        expectClose(state.hidden, fixture["hidden"], tolerance: fixture.tolerance)
        expectClose(state.cell, fixture["cell"], tolerance: fixture.tolerance)
        cell.zeroGradients()
        let gradients = valueWithGradients(
            of: { inputs in
                let state = run(inputs)
                return (state.hidden * upstreamHidden).sum() + (state.cell * upstreamCell).sum()
            }, at: inputs
        ).gradients
        for (name, gradient) in zip(["input", "hidden0", "cell0"], gradients) {
            expectClose(gradient, fixture["gradient.\(name)"], tolerance: fixture.tolerance)
        }
        expectParameterGradients(of: cell, match: fixture)
    }

    @Test mutating func gruCellMatchesPyTorch() throws {
        let fixture = try Fixture.load("recurrent_gru_cell", in: .module)
        let cell = GRUCell(inputSize: 3, hiddenSize: 4, using: &rng)
        load(fixture, into: cell)
        let upstream = fixture["hiddenGradient"]
        let inputs = [fixture["input"], fixture["hidden0"]]
        expectClose(
            withoutGradients { cell(inputs[0], hidden: inputs[1]) }, fixture["hidden"],
            tolerance: fixture.tolerance)
        cell.zeroGradients()
        let gradients = valueWithGradients(
            of: { (cell($0[0], hidden: $0[1]) * upstream).sum() }, at: inputs
        ).gradients
        for (name, gradient) in zip(["input", "hidden0"], gradients) {
            expectClose(gradient, fixture["gradient.\(name)"], tolerance: fixture.tolerance)
        }
        expectParameterGradients(of: cell, match: fixture)
    }

    @Test mutating func parameterNamesAreTorchs() {
        let lstm = LSTMCell(inputSize: 3, hiddenSize: 2, using: &rng)
        #expect(
            lstm.namedParameters().map { "\($0.path) \($0.parameter.shape)" } == [
                "weight_ih [8, 3]", "weight_hh [8, 2]", "bias_ih [8]", "bias_hh [8]",
            ])
        let gru = GRUCell(inputSize: 3, hiddenSize: 2, bias: false, using: &rng)
        #expect(
            gru.namedParameters().map { "\($0.path) \($0.parameter.shape)" } == [
                "weight_ih [6, 3]", "weight_hh [6, 2]",
            ])
    }

    @Test mutating func initialisationIsUniformInTorchsBound() {
        let cell = LSTMCell(inputSize: 5, hiddenSize: 16, using: &rng)
        for parameter in cell.parameters() {
            let values = parameter.value.scalars
            #expect(values.allSatisfy { abs($0) <= 0.25 })
            // Spread over the range, not bunched near zero: U(-¼, ¼) has |x| mean ⅛.
            let meanMagnitude = values.reduce(0) { $0 + abs($1) } / Float(values.count)
            #expect(abs(meanMagnitude - 0.125) < 0.03)
        }
    }

    @Test mutating func zeroStateShapes() {
        let lstm = LSTMCell(inputSize: 3, hiddenSize: 2, using: &rng)
        let state = lstm.zeroState(batchSize: 5)
        #expect(state.hidden.shape == [5, 2] && state.cell.shape == [5, 2])
        #expect(state.hidden.scalars.allSatisfy { $0 == 0 })
        #expect(
            GRUCell(inputSize: 3, hiddenSize: 2, using: &rng).zeroState(batchSize: 4).shape == [
                4, 2,
            ])
    }

    @Test mutating func fusedStepsEqualComposedOps() {
        let lstm = LSTMCell(inputSize: 5, hiddenSize: 17, using: &rng)
        let x = Tensor.normal([3, 5], using: &rng)
        let state = LSTMState(
            hidden: .normal([3, 17], using: &rng), cell: .normal([3, 17], using: &rng))
        let (fused, composed) = (lstm(x, state: state), composedLSTMStep(lstm, x, state))
        expectClose(fused.hidden, composed.hidden)
        expectClose(fused.cell, composed.cell)
        let gru = GRUCell(inputSize: 5, hiddenSize: 17, bias: false, using: &rng)
        expectClose(gru(x, hidden: state.hidden), composedGRUStep(gru, x, state.hidden))
    }

    @Test mutating func lstmCellGradientsMatchFiniteDifferences() {
        let cell = LSTMCell(inputSize: 3, hiddenSize: 4, using: &rng)
        let points = [
            Tensor.normal([2, 3], using: &rng), Tensor.normal([2, 4], using: &rng),
            Tensor.normal([2, 4], using: &rng),
        ]
        expectGradientsMatch(
            { inputs in
                let state = cell(inputs[0], state: LSTMState(hidden: inputs[1], cell: inputs[2]))
                return concatenate([state.hidden, state.cell], axis: 1)
            }, at: points)
        expectParameterGradientsMatch(of: cell) {
            cell(points[0], state: LSTMState(hidden: points[1], cell: points[2])).cell
        }
    }

    @Test mutating func gruCellGradientsMatchFiniteDifferences() {
        let cell = GRUCell(inputSize: 3, hiddenSize: 4, using: &rng)
        let points = [Tensor.normal([2, 3], using: &rng), Tensor.normal([2, 4], using: &rng)]
        expectGradientsMatch({ cell($0[0], hidden: $0[1]) }, at: points)
        expectParameterGradientsMatch(of: cell) { cell(points[0], hidden: points[1]) }
    }
}

/// Expects every parameter gradient of `module` to match `gradient.<path>` in `fixture`.
func expectParameterGradients(
    of module: some Module, match fixture: Fixture,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for (path, parameter) in module.namedParameters() {
        expectClose(
            parameter.gradient ?? .zeros(parameter.shape), fixture["gradient.\(path)"],
            tolerance: fixture.tolerance, sourceLocation: sourceLocation)
    }
}
