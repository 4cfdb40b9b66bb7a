import SeqKernels
import Testing

/// The fused LSTM and GRU step kernels against their naive twins, at hidden sizes around one
/// SIMD16 vector and with rows that have ended (position −1), forward and reverse positions.
@Suite struct RecurrentKernelTests {
    /// Batch of 3 over 4 steps: row 0 at time 2, row 1 ended, row 2 at time 1 (as if reversed).
    static let positions: [Int32] = [2, -1, 1]
    /// The positions of the step before (row 1 ended earlier still).
    static let previousPositions: [Int32] = [1, -1, 2]

    private static func shape(_ hidden: Int) -> RecurrentShape {
        RecurrentShape(batch: 3, steps: 4, hidden: hidden)
    }

    @Test(arguments: kernelTestSizes, [true, false])
    func lstmForwardMatchesReference(hidden: Int, withBias: Bool) {
        let shape = Self.shape(hidden)
        let run = { (reference: Bool) -> [[Float]] in
            var gates = fusedKernelInput(3 * 4 * 4 * hidden, phase: 0.1, scale: 2)
            let recurrent = fusedKernelInput(3 * 4 * hidden, phase: 0.7, scale: 2)
            let bias = withBias ? fusedKernelInput(4 * hidden, phase: 1.3, scale: 1) : nil
            var h = fusedKernelInput(3 * hidden, phase: 2.1, scale: 1)
            var c = fusedKernelInput(3 * hidden, phase: 2.9, scale: 1.5)
            var savedH = [Float](repeating: -9, count: 3 * 4 * hidden)
            var (savedC, output) = (savedH, savedH)
            let step = reference ? referenceLSTMForwardStep : lstmForwardStep
            step(
                &gates, recurrent, bias, &h, &c, &savedH, &savedC, &output, Self.positions, shape)
            return [gates, h, c, savedH, savedC, output]
        }
        let names = ["gates", "hidden", "cell", "savedHidden", "savedCell", "output"]
        for (name, (fast, naive)) in zip(names, zip(run(false), run(true))) {
            expectFusedKernelClose(fast, naive, "H \(hidden) \(name)")
        }
    }

    @Test(arguments: kernelTestSizes, [true, false])
    func lstmBackwardMatchesReference(hidden: Int, hasOutputGradient: Bool) {
        let shape = Self.shape(hidden)
        let run = { (reference: Bool) -> [[Float]] in
            // Activations in (0, 1) for the sigmoid gates and (−1, 1) for tanh.
            var gates = fusedKernelInput(3 * 4 * 4 * hidden, phase: 0.3, scale: 0.45).map {
                $0 + 0.5
            }
            var stepGradient = [Float](repeating: .nan, count: 3 * 4 * hidden)
            var dh = fusedKernelInput(3 * hidden, phase: 1.1, scale: 1)
            var dc = fusedKernelInput(3 * hidden, phase: 1.9, scale: 1)
            let dy =
                hasOutputGradient ? fusedKernelInput(3 * 4 * hidden, phase: 2.7, scale: 1) : nil
            let savedCell = fusedKernelInput(3 * 4 * hidden, phase: 3.5, scale: 2)
            let initialCell = fusedKernelInput(3 * hidden, phase: 4.3, scale: 1)
            let step = reference ? referenceLSTMBackwardStep : lstmBackwardStep
            step(
                &gates, &stepGradient, &dh, &dc, dy, savedCell, initialCell, Self.positions,
                Self.previousPositions, shape)
            return [gates, stepGradient, dh, dc]
        }
        let names = ["gates", "stepGradient", "hiddenGradient", "cellGradient"]
        for (name, (fast, naive)) in zip(names, zip(run(false), run(true))) {
            expectFusedKernelClose(
                fast, naive, relative: 1e-5, absolute: 1e-5, "H \(hidden) \(name)")
        }
    }

    @Test(arguments: kernelTestSizes)
    func lstmBackwardReadsInitialCellAtTheFirstStep(hidden: Int) {
        let shape = Self.shape(hidden)
        let run = { (reference: Bool) -> [Float] in
            var gates = fusedKernelInput(3 * 4 * 4 * hidden, phase: 0.3, scale: 0.45).map {
                $0 + 0.5
            }
            var stepGradient = [Float](repeating: .nan, count: 3 * 4 * hidden)
            var dh = fusedKernelInput(3 * hidden, phase: 1.1, scale: 1)
            var dc = fusedKernelInput(3 * hidden, phase: 1.9, scale: 1)
            let savedCell = fusedKernelInput(3 * 4 * hidden, phase: 3.5, scale: 2)
            let initialCell = fusedKernelInput(3 * hidden, phase: 4.3, scale: 1)
            let step = reference ? referenceLSTMBackwardStep : lstmBackwardStep
            step(
                &gates, &stepGradient, &dh, &dc, nil, savedCell, initialCell, Self.positions, nil,
                shape)
            return gates
        }
        expectFusedKernelClose(run(false), run(true), relative: 1e-5, absolute: 1e-5, "H \(hidden)")
    }

    @Test(arguments: kernelTestSizes, [true, false])
    func gruForwardMatchesReference(hidden: Int, withBias: Bool) {
        let shape = Self.shape(hidden)
        let run = { (reference: Bool) -> [[Float]] in
            var gates = fusedKernelInput(3 * 4 * 3 * hidden, phase: 0.2, scale: 2)
            let recurrent = fusedKernelInput(3 * 3 * hidden, phase: 0.9, scale: 2)
            let inputBias = withBias ? fusedKernelInput(3 * hidden, phase: 1.6, scale: 1) : nil
            let recurrentBias = withBias ? fusedKernelInput(3 * hidden, phase: 2.3, scale: 1) : nil
            var h = fusedKernelInput(3 * hidden, phase: 3.1, scale: 1)
            var savedH = [Float](repeating: -9, count: 3 * 4 * hidden)
            var (savedN, output) = (savedH, savedH)
            let step = reference ? referenceGRUForwardStep : gruForwardStep
            step(
                &gates, recurrent, inputBias, recurrentBias, &h, &savedH, &savedN, &output,
                Self.positions, shape)
            return [gates, h, savedH, savedN, output]
        }
        let names = ["gates", "hidden", "savedHidden", "savedCandidate", "output"]
        for (name, (fast, naive)) in zip(names, zip(run(false), run(true))) {
            expectFusedKernelClose(fast, naive, "H \(hidden) \(name)")
        }
    }

    @Test(arguments: kernelTestSizes, [true, false])
    func gruBackwardMatchesReference(hidden: Int, hasOutputGradient: Bool) {
        let shape = Self.shape(hidden)
        let run = { (reference: Bool) -> [[Float]] in
            var gates = fusedKernelInput(3 * 4 * 3 * hidden, phase: 0.4, scale: 0.45).map {
                $0 + 0.5
            }
            var recurrentGradients = [Float](repeating: -9, count: 3 * 4 * 3 * hidden)
            var stepGradient = [Float](repeating: .nan, count: 3 * 3 * hidden)
            var dh = fusedKernelInput(3 * hidden, phase: 1.2, scale: 1)
            let dy =
                hasOutputGradient ? fusedKernelInput(3 * 4 * hidden, phase: 2.0, scale: 1) : nil
            let savedH = fusedKernelInput(3 * 4 * hidden, phase: 2.8, scale: 1)
            let savedN = fusedKernelInput(3 * 4 * hidden, phase: 3.6, scale: 2)
            let step = reference ? referenceGRUBackwardStep : gruBackwardStep
            step(
                &gates, &recurrentGradients, &stepGradient, &dh, dy, savedH, savedN,
                Self.positions, shape)
            return [gates, recurrentGradients, stepGradient, dh]
        }
        let names = ["gates", "recurrentGradients", "stepGradient", "hiddenGradient"]
        for (name, (fast, naive)) in zip(names, zip(run(false), run(true))) {
            expectFusedKernelClose(
                fast, naive, relative: 1e-5, absolute: 1e-5, "H \(hidden) \(name)")
        }
    }

    @Test func positionsCountDownInReverseFromEachLength() {
        let forward = recurrentPositions(lengths: [3, 1, 0], reverse: false)
        #expect(forward.stepCount == 3)
        #expect(forward.positions == [0, 0, -1, 1, -1, -1, 2, -1, -1])
        let reverse = recurrentPositions(lengths: [3, 1, 0], reverse: true)
        #expect(reverse.positions == [2, 0, -1, 1, -1, -1, 0, -1, -1])
    }
}
