import SeqModels
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// `TransformerSeq2Seq`'s decoding state: the source side is held once per source, and a
/// source's log-probabilities do not depend on the batch it is decoded in.
@Suite struct DecodingStateTests {
    private func model(_ positions: TransformerConfig.PositionEncoding) -> TransformerSeq2Seq {
        var generator = SeededGenerator(seed: 3)
        let model = TransformerSeq2Seq(
            config: tinyConfig(positions: positions, normalizationPosition: .post),
            using: &generator)
        model.setTraining(false)
        return model
    }

    @Test func beamsShareTheirSourcesKeysAndValues() {
        let model = model(.sinusoidal)
        var state = model.start(sources: [[3, 4, 5, 2], [6, 2]])
        #expect(state.rowCount == 2 && state.sourceCount == 2)
        model.reorder(&state, rows: [0, 0, 0, 1, 1, 1])
        _ = model.step(&state, lastTokens: Array(repeating: 1, count: 6))
        #expect(state.rowCount == 6 && state.sourceCount == 2)
        model.reorder(&state, rows: [4])
        let step = model.step(&state, lastTokens: [7])
        #expect(state.rowCount == 1 && state.sourceCount == 2)
        let full = withoutGradients {
            model.logits(
                sources: TokenBatch(rows: [[6, 2]], padID: 0),
                targetInputs: TokenBatch(rows: [[1, 7]], padID: 0)
            ).logSoftmax(axis: -1)
        }
        expectClose(step.scalars, logitRow(full, row: 0, position: 1), tolerance: 1e-5)
    }

    /// Twenty sources of different lengths decoded together (the encoder then runs its
    /// products through BLAS) give each source the log-probabilities it gets alone, to 1e-5.
    @Test(arguments: [TransformerConfig.PositionEncoding.rotary, .learned, .relative])
    func logProbabilitiesDoNotDependOnTheBatch(positions: TransformerConfig.PositionEncoding) {
        let model = model(positions)
        let sources: [[Int32]] = (0..<20).map { (index: Int) -> [Int32] in
            let length = 2 + index % 7
            let ids: [Int32] = (0..<length).map { (position: Int) -> Int32 in
                Int32(3 + (position * 5 + index) % 8)
            }
            return ids + [2]
        }
        let targets: [Int32] = [1, 5, 9, 4]
        var together = model.start(sources: sources)
        var batched: [Tensor] = []
        for token in targets {
            batched.append(
                model.step(&together, lastTokens: Array(repeating: token, count: sources.count)))
        }
        for (index, source) in sources.enumerated() where index % 4 == 1 {
            var alone = model.start(sources: [source])
            for (position, token) in targets.enumerated() {
                let step = model.step(&alone, lastTokens: [token])
                let row = batched[position].scalars[(index * 11)..<((index + 1) * 11)]
                expectClose(step.scalars, Array(row), tolerance: 1e-5)
            }
        }
    }
}
