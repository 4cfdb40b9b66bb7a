import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// The recurrent layers against PyTorch (tools/fixtures/make_recurrent.py).
///
/// `LSTM` and `GRU` against `torch.nn.LSTM` and `torch.nn.GRU`: 2 layers, bidirectional, a
/// batch of three sequences of lengths 5, 2 and 4 packed with `pack_padded_sequence`, given
/// initial states. Outputs, final states and the gradients of every parameter and input must
/// match.
@Suite struct RecurrentParityTests {
    var rng = SeededGenerator(seed: 41)

    /// The fixture's parameters, picked out by PyTorch's names and loaded by name: `load`
    /// fails on any missing or unexpected name, so this also checks the names.
    private func loadTorchStateDictionary(_ fixture: Fixture, into module: some Module) throws {
        let stateDictionary = fixture.tensors.filter {
            $0.key.hasPrefix("weight_") || $0.key.hasPrefix("bias_")
        }
        try module.load(stateDictionary, from: fixture.name)
    }

    @Test mutating func lstmMatchesPyTorch() throws {
        let fixture = try Fixture.load("recurrent_lstm", in: .module)
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true, using: &rng)
        try loadTorchStateDictionary(fixture, into: lstm)
        let lengths = fixture["lengths"].scalars.map { Int($0) }
        let upstream = ["outputGradient", "hiddenGradient", "cellGradient"].map { fixture[$0] }
        func run(_ inputs: [Tensor]) -> [Tensor] {
            let result = lstm(
                inputs[0], initialState: LSTMState(hidden: inputs[1], cell: inputs[2]),
                lengths: lengths)
            return [result.output, result.state.hidden, result.state.cell]
        }
        let inputNames = ["input", "hidden0", "cell0"]
        let outputs = withoutGradients { run(inputNames.map { fixture[$0] }) }
        for (output, name) in zip(outputs, ["output", "hidden", "cell"]) {
            expectClose(output, fixture[name], tolerance: fixture.tolerance)
        }
        lstm.zeroGradients()
        let gradients = valueWithGradients(
            of: { inputs in
                zip(run(inputs), upstream).map { ($0 * $1).sum() }.reduce(Tensor(0), +)
            }, at: inputNames.map { fixture[$0] }
        ).gradients
        for (name, gradient) in zip(inputNames, gradients) {
            expectClose(gradient, fixture["gradient.\(name)"], tolerance: fixture.tolerance)
        }
        expectParameterGradients(of: lstm, match: fixture)
    }

    @Test mutating func gruMatchesPyTorch() throws {
        let fixture = try Fixture.load("recurrent_gru", in: .module)
        let gru = GRU(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true, using: &rng)
        try loadTorchStateDictionary(fixture, into: gru)
        let lengths = fixture["lengths"].scalars.map { Int($0) }
        let upstream = ["outputGradient", "hiddenGradient"].map { fixture[$0] }
        func run(_ inputs: [Tensor]) -> [Tensor] {
            let result = gru(inputs[0], initialHidden: inputs[1], lengths: lengths)
            return [result.output, result.hidden]
        }
        let inputNames = ["input", "hidden0"]
        let outputs = withoutGradients { run(inputNames.map { fixture[$0] }) }
        for (output, name) in zip(outputs, ["output", "hidden"]) {
            expectClose(output, fixture[name], tolerance: fixture.tolerance)
        }
        gru.zeroGradients()
        let gradients = valueWithGradients(
            of: { inputs in
                zip(run(inputs), upstream).map { ($0 * $1).sum() }.reduce(Tensor(0), +)
            }, at: inputNames.map { fixture[$0] }
        ).gradients
        for (name, gradient) in zip(inputNames, gradients) {
            expectClose(gradient, fixture["gradient.\(name)"], tolerance: fixture.tolerance)
        }
        expectParameterGradients(of: gru, match: fixture)
    }
}
