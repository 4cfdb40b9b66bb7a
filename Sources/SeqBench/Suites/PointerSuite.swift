import Seq2Seq

// Legend: B batch, T decoding steps, S memory slots, A attention size.

/// `seq2seq bench pointer`: the fused additive-attention scores against the composed ops they
/// replace, and training steps of pointer networks at the papers' sizes.
package enum PointerSuite {
    /// Every case of the suite, in report order; inputs are built only when a case runs.
    package static func cases(quick: Bool) -> [BenchCase] {
        [
            BenchCase(suite: "pointer", name: "additive-scores-b128-t11-s11-a256") {
                additiveScores(quick: quick)
            },
            BenchCase(suite: "pointer", name: "train-step-ptrnet-tsp10-h256") {
                var config = PointerNetworkConfig()
                config.glimpseCount = 1
                config.constraint = .permutation
                return trainStep(
                    name: "train-step-ptrnet-tsp10-h256", config: config, quick: quick)
            },
            BenchCase(suite: "pointer", name: "train-step-rpw-p5-sort10-h256") {
                var config = PointerNetworkConfig()
                config.elementSize = 1
                config.encoder = .readProcessWrite
                config.processSteps = 5
                config.glimpseCount = 1
                return trainStep(
                    name: "train-step-rpw-p5-sort10-h256", config: config, quick: quick)
            },
        ]
    }

    /// Forward and backward of `vᵀ tanh(q_t + k_s)` for `[128, 11, 256]` queries and keys.
    ///
    /// These are a pointer network's teacher-forced scores at n = 10; the rate is in hidden
    /// units `B·T·S·A` per second, and the reference is the broadcast add, `tanh` and product
    /// that the fused op replaces.
    private static func additiveScores(quick: Bool) -> Comparison {
        let (batch, steps, slots, size) = (128, 11, 11, 256)
        var generator = SeededGenerator(seed: 3)
        let queries = Tensor.normal([batch, steps, size], using: &generator)
        let keys = Tensor.normal([batch, slots, size], using: &generator)
        let vector = Tensor.normal([size], using: &generator)
        let weights = Tensor.normal([batch, steps, slots], using: &generator)
        func measure(_ scores: ([Tensor]) -> Tensor) {
            let result = valueWithGradients(
                of: { (scores($0) * weights).sum() }, at: [queries, keys, vector])
            blackHole(result)
        }
        return Comparison(
            suite: "pointer", name: "additive-scores-b128-t11-s11-a256", unit: "Gunits/s",
            work: Double(batch * steps * slots * size) / 1e9, warmup: quick ? 0 : 2,
            repetitions: quick ? 1 : 10,
            candidate: {
                measure { $0[0].additiveAttentionScores(keys: $0[1], vector: $0[2]) }
            },
            reference: {
                measure {
                    ($0[0].unsqueezed(axis: 2) + $0[1].unsqueezed(axis: 1)).tanh()
                        .matmul($0[2].reshaped([size, 1])).reshaped([batch, steps, slots])
                }
            })
    }

    /// One Adam step of `config` on 128 random examples of 10 elements.
    ///
    /// The targets are random permutations; the rate is in examples per second. No reference:
    /// compare runs of the suite.
    private static func trainStep(
        name: String, config: PointerNetworkConfig, quick: Bool
    ) -> Comparison {
        let (batchSize, length) = (128, 10)
        var generator = SeededGenerator(seed: 5)
        let model = PointerNetwork(config: config, using: &generator)
        let optimizer = Adam(model, learningRate: 1e-4)
        let inputs = (0..<batchSize).map { _ in
            (0..<(length * config.elementSize)).map { _ in generator.nextUnitFloat() }
        }
        let batch = PointerBatch(inputs: inputs, elementSize: config.elementSize)
        let targets = (0..<batchSize).map { _ in Array(0..<length).shuffled(using: &generator) }
        return Comparison(
            suite: "pointer", name: name, unit: "examples/s", work: Double(batchSize),
            warmup: quick ? 0 : 1, repetitions: quick ? 1 : 5,
            candidate: {
                model.loss(batch, targets: targets).backward()
                optimizer.step()
                optimizer.zeroGradients()
            },
            reference: nil)
    }
}
