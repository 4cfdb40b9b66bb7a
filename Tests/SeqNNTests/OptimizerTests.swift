import Foundation
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// A two-parameter module for optimizer tests.
private final class Pair: Module {
    let weight = Parameter(Tensor(shape: [2, 2], scalars: [1, -2, 3, 0.5]))
    let bias = Parameter(Tensor([0.25, -1]))
}

/// Sets fixed gradients, different at every `step`, on both parameters of `pair`.
private func setGradients(_ pair: Pair, step: Int) {
    let s = Float(step)
    pair.weight.gradient = Tensor(shape: [2, 2], scalars: [0.5 * s, -1, 0.25, 2 - s])
    pair.bias.gradient = Tensor([s - 1.5, 0.75])
}

@Suite struct SGDTests {
    @Test func plainStepIsLearningRateTimesGradient() {
        let p = Parameter(Tensor([1, 2]))
        let sgd = SGD(parameters: [p], learningRate: 0.1)
        p.gradient = Tensor([0.5, -1])
        sgd.step()
        expectClose(p.value.scalars, [0.95, 2.1], tolerance: 1e-7)
        #expect(sgd.state.isEmpty)
    }

    @Test func momentumMatchesHandComputation() {
        // b₁ = g = 0.5, p₁ = 1 − 0.1·0.5 = 0.95; b₂ = 0.9·0.5 + 0.5 = 0.95, p₂ = 0.95 − 0.095.
        let p = Parameter(Tensor([1]))
        let sgd = SGD(parameters: [("p", p)], learningRate: 0.1, momentum: 0.9)
        p.gradient = Tensor([0.5])
        sgd.step()
        expectClose(p.value.scalars, [0.95], tolerance: 1e-7)
        sgd.step()
        expectClose(p.value.scalars, [0.855], tolerance: 1e-7)
        expectClose(sgd.state["p.momentum_buffer"]?.scalars ?? [], [0.95], tolerance: 1e-7)
    }

    @Test func nesterovMatchesHandComputation() {
        // d₁ = 0.5 + 0.9·0.5 = 0.95, p₁ = 0.905; b₂ = 0.95, d₂ = 0.5 + 0.9·0.95 = 1.355.
        let p = Parameter(Tensor([1]))
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, nesterov: true)
        p.gradient = Tensor([0.5])
        sgd.step()
        expectClose(p.value.scalars, [0.905], tolerance: 1e-7)
        sgd.step()
        expectClose(p.value.scalars, [0.7695], tolerance: 1e-6)
    }

    @Test func weightDecayAddsToTheGradient() {
        // d = 0.5 + 0.1·2 = 0.7, p = 2 − 0.1·0.7.
        let p = Parameter(Tensor([2]))
        let sgd = SGD(parameters: [p], learningRate: 0.1, weightDecay: 0.1)
        p.gradient = Tensor([0.5])
        sgd.step()
        expectClose(p.value.scalars, [1.93], tolerance: 1e-7)
    }

    @Test func frozenAndGradientFreeParametersAreUntouched() {
        let pair = Pair()
        let sgd = SGD(pair, learningRate: 0.1, momentum: 0.9)
        setGradients(pair, step: 1)
        pair.weight.isTrainable = false
        let frozen = pair.weight.value.scalars
        sgd.step()
        #expect(pair.weight.value.scalars == frozen)
        #expect(pair.bias.value.scalars != [0.25, -1])
        #expect(Set(sgd.state.keys) == ["bias.momentum_buffer"])

        pair.weight.isTrainable = true
        pair.bias.gradient = nil
        let bias = pair.bias.value.scalars
        sgd.step()
        #expect(pair.bias.value.scalars == bias)
        #expect(pair.weight.value.scalars != frozen)
    }

    @Test func zeroGradientsClearsEveryParameter() {
        let pair = Pair()
        let sgd = SGD(pair, learningRate: 0.1)
        setGradients(pair, step: 1)
        sgd.zeroGradients()
        #expect(pair.weight.gradient == nil && pair.bias.gradient == nil)
        #expect(sgd.parameters.map(\.path) == ["weight", "bias"])
    }

    @Test func learningRateCanChangeBetweenSteps() {
        let p = Parameter(Tensor([1]))
        let sgd = SGD(parameters: [p], learningRate: 0.1)
        p.gradient = Tensor([1])
        sgd.step()
        sgd.learningRate = 0.5
        sgd.step()
        expectClose(p.value.scalars, [0.4], tolerance: 1e-7)
    }

    @Test func earlierSnapshotsKeepTheirValues() {
        let pair = Pair()
        let snapshot = pair.stateDictionary()
        let sgd = SGD(pair, learningRate: 0.1)
        setGradients(pair, step: 1)
        sgd.step()
        #expect(snapshot["weight"]?.scalars == [1, -2, 3, 0.5])
        #expect(pair.weight.value.scalars != [1, -2, 3, 0.5])
    }

    @Test func duplicatePathsTrap() async {
        await #expect(processExitsWith: .failure) {
            let p = Parameter(Tensor([1]))
            _ = SGD(
                parameters: [(path: "a", parameter: p), (path: "a", parameter: p)], learningRate: 1)
        }
    }
}

@Suite struct OptimizerStateTests {
    /// Steps `optimizer` with gradients for steps `range` and returns every value afterwards.
    private func run(_ optimizer: some Optimizer, on pair: Pair, steps range: ClosedRange<Int>)
        -> [[Float]]
    {
        range.map { step in
            setGradients(pair, step: step)
            optimizer.step()
            return pair.weight.value.scalars + pair.bias.value.scalars
        }
    }

    @Test func adamWStateRestoresIdenticalSteps() throws {
        let pair = Pair()
        let optimizer = AdamW(pair, learningRate: 0.05)
        _ = run(optimizer, on: pair, steps: 1...2)
        let weights = pair.stateDictionary()
        let state = optimizer.state
        #expect(
            Set(state.keys) == [
                "weight.exp_avg", "weight.exp_avg_sq", "weight.step", "bias.exp_avg",
                "bias.exp_avg_sq", "bias.step",
            ])
        #expect(state["weight.step"]?.scalar == 2)
        let uninterrupted = run(optimizer, on: pair, steps: 3...4)

        let resumed = Pair()
        try resumed.load(weights, from: "memory")
        let restored = AdamW(resumed, learningRate: 0.05)
        try restored.loadState(state, from: "memory")
        #expect(run(restored, on: resumed, steps: 3...4) == uninterrupted)
    }

    @Test func sgdStateSurvivesASafeTensorsFile() throws {
        let pair = Pair()
        let optimizer = SGD(pair, learningRate: 0.1, momentum: 0.9, nesterov: true)
        _ = run(optimizer, on: pair, steps: 1...2)
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("sgd-state-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: file) }
        try SafeTensors.write(optimizer.state, to: file)
        let weights = pair.stateDictionary()
        let uninterrupted = run(optimizer, on: pair, steps: 3...5)

        let resumed = Pair()
        try resumed.load(weights, from: "memory")
        let restored = SGD(resumed, learningRate: 0.1, momentum: 0.9, nesterov: true)
        try restored.loadState(SafeTensors.read(contentsOf: file).tensors, from: file.path)
        #expect(run(restored, on: resumed, steps: 3...5) == uninterrupted)
    }

    @Test func badStateIsRejectedWholeNamingTheTensor() throws {
        let pair = Pair()
        let optimizer = Adam(pair, learningRate: 0.01)
        _ = run(optimizer, on: pair, steps: 1...1)
        let good = optimizer.state

        func rejection(_ state: [String: Tensor]) -> CheckpointError? {
            do {
                try optimizer.loadState(state, from: "opt.safetensors")
                return nil
            } catch {
                return error as? CheckpointError
            }
        }
        var missing = good
        missing["bias.exp_avg_sq"] = nil
        #expect(
            rejection(missing)?.description == "opt.safetensors: no tensor for `bias.exp_avg_sq`")
        var unexpected = good
        unexpected["head.exp_avg"] = .zeros([2])
        #expect(
            rejection(unexpected)?.description
                == "opt.safetensors: unexpected tensor `head.exp_avg` in Adam state")
        var misshapen = good
        misshapen["weight.exp_avg"] = .zeros([4])
        #expect(
            rejection(misshapen)?.description
                == "opt.safetensors: `weight.exp_avg` is [4], model expects [2, 2]")
        var badStep = good
        badStep["weight.step"] = Tensor(1.5)
        #expect(rejection(badStep)?.kind == .invalidValue)
        #expect(rejection(badStep)?.description.contains("`weight.step`") == true)

        #expect(optimizer.state["weight.exp_avg"]?.scalars == good["weight.exp_avg"]?.scalars)
        #expect(optimizer.state.count == good.count)
    }

    @Test func momentumFreeSGDHasNoState() {
        let optimizer = SGD(Pair(), learningRate: 0.1)
        #expect(throws: CheckpointError.self) {
            try optimizer.loadState(["weight.momentum_buffer": .zeros([2, 2])], from: "f")
        }
    }
}

@Suite struct ClippingTests {
    @Test func returnsTheGlobalNormAndScalesToMaxNorm() {
        let a = Parameter(Tensor([0, 0]))
        let b = Parameter(Tensor([0]))
        let unused = Parameter(Tensor([5]))
        a.gradient = Tensor([3, 4])
        b.gradient = Tensor([12])
        let norm = clipGradientNorm([a, b, unused], maxNorm: 6.5)
        #expect(norm == 13)
        // torch: coefficient = maxNorm / (norm + 1e-6)
        let coefficient = Float(6.5) / (13 + 1e-6)
        #expect(a.gradient?.scalars == [3 * coefficient, 4 * coefficient])
        #expect(b.gradient?.scalars == [12 * coefficient])
        #expect(unused.gradient == nil)
    }

    @Test func leavesSmallGradientsAlone() {
        let a = Parameter(Tensor([0, 0]))
        a.gradient = Tensor([3, 4])
        #expect(clipGradientNorm([a], maxNorm: 5.5) == 5)
        #expect(a.gradient?.scalars == [3, 4])
    }

    @Test func largeNormIsAccurateAndRepeatable() {
        let count = 100_003
        let values = (0..<count).map { sin(Float($0) * 0.01) * 3 }
        let p = Parameter(.zeros([count]))
        p.gradient = Tensor(values)
        let exact = values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let norm = clipGradientNorm([p], maxNorm: 1e9)
        #expect(abs(Double(norm) - exact) <= 1e-6 * exact)
        #expect(clipGradientNorm([p], maxNorm: 1e9) == norm)
        _ = clipGradientNorm([p], maxNorm: 1)
        let clipped = (p.gradient?.scalars ?? []).reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(clipped.squareRoot() - 1) < 1e-5)
    }
}

@Suite struct ScheduleTests {
    @Test func inverseSquareRootWarmsUpThenDecays() {
        let schedule = InverseSquareRootSchedule(peak: 1e-3, warmupSteps: 4)
        let rates = [0, 1, 2, 4, 9, 16].map { schedule.learningRate(at: $0) }
        expectClose(
            rates, [0, 2.5e-4, 5e-4, 1e-3, 1e-3 * (4.0 / 9).squareRoot(), 5e-4], tolerance: 1e-7)
    }

    @Test func cosineWarmsUpDecaysAndFloors() {
        let schedule = CosineSchedule(peak: 1, warmupSteps: 2, totalSteps: 6, minimum: 0.1)
        let rates = [0, 1, 2, 3, 4, 6, 10].map { schedule.learningRate(at: $0) }
        let quarter = Float(0.1 + 0.9 * (1 + cos(Double.pi / 4)) / 2)
        expectClose(rates, [0, 0.5, 1, quarter, 0.55, 0.1, 0.1], tolerance: 1e-6)
    }

    @Test func constantIsConstant() {
        let schedule = ConstantSchedule(3e-4)
        #expect([0, 1, 1000].map { schedule.learningRate(at: $0) } == [3e-4, 3e-4, 3e-4])
    }

    @Test func configsDecodeByKindAndRoundTrip() throws {
        let json = Data(#"{"kind": "inverse_sqrt", "peak": 0.0005, "warmupSteps": 4000}"#.utf8)
        let config = try JSONDecoder().decode(LearningRateScheduleConfig.self, from: json)
        #expect(
            config == .inverseSquareRoot(InverseSquareRootSchedule(peak: 5e-4, warmupSteps: 4000)))
        #expect(config.schedule.learningRate(at: 4000) == 5e-4)
        let cosine = LearningRateScheduleConfig.cosine(CosineSchedule(peak: 1, totalSteps: 10))
        let again = try JSONDecoder().decode(
            LearningRateScheduleConfig.self, from: JSONEncoder().encode(cosine))
        #expect(again == cosine)
        let bad = Data(#"{"kind": "inverse_sqrt", "peak": 1, "warmupSteps": 0}"#.utf8)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LearningRateScheduleConfig.self, from: bad)
        }
    }
}
