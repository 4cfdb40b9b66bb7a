import Foundation
import SeqModels
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// The pieces imported families need: T5's relative position buckets and unscaled attention,
/// Marian's sine/cosine halves and SiLU, BART's embedding norm and logits bias.
@Suite struct ImportedArchitectureTests {
    private let sources: [[Int32]] = [[3, 4, 5, 6, 2], [7, 8, 2]]
    private let targetInputs: [[Int32]] = [[1, 5, 6, 7, 9], [1, 9, 10, 4, 3]]

    /// T5-like (relative, RMS, unscaled, gated GELU, rescaled output), Marian-like and
    /// BART-like variants of the tiny config.
    private static let variants: [String: TransformerConfig] = {
        var t5 = tinyConfig(positions: .relative)
        t5.normalization = .rmsNorm
        t5.bias = false
        t5.attentionScale = 1
        t5.outputScale = 0.25
        t5.embeddingScale = 1
        t5.activation = .gatedGeluTanh
        t5.relativeAttentionBuckets = 8
        t5.relativeAttentionMaxDistance = 20
        var marian = tinyConfig(positions: .sinusoidal, normalizationPosition: .post)
        marian.sinusoidalLayout = .halves
        marian.activation = .silu
        marian.finalLogitsBias = true
        var bart = tinyConfig(positions: .learned, normalizationPosition: .post)
        bart.embeddingNorm = true
        bart.finalLogitsBias = true
        bart.activation = .gelu
        var mbart = bart
        mbart.normalizationPosition = .pre
        return ["t5": t5, "marian": marian, "bart": bart, "mbart": mbart]
    }()

    private func model(_ name: String) throws -> TransformerSeq2Seq {
        var generator = SeededGenerator(seed: 5)
        let model = TransformerSeq2Seq(
            config: try #require(Self.variants[name]), using: &generator)
        model.setTraining(false)
        // Non-zero logits biases and norm shifts, so that a wrong path would show.
        for (path, parameter) in model.namedParameters()
        where path == "finalLogitsBias" || path.contains("embeddingNorm") {
            parameter.value = .uniform(parameter.shape, in: -0.5...0.5, using: &generator)
        }
        return model
    }

    @Test func bucketsMatchTransformers() {
        // transformers 4.46.3 `T5Attention._relative_position_bucket` on these distances.
        let distances = [
            -200, -128, -100, -64, -40, -17, -16, -9, -8, -7, -1, 0, 1, 2, 7, 8, 9, 15, 16, 30,
            64, 127, 128, 500,
        ]
        let cases: [(buckets: Int, maxDistance: Int, bidirectional: Bool, expected: [Int])] = [
            (
                32, 128, true,
                [
                    15, 15, 15, 14, 12, 10, 10, 8, 8, 7, 1, 0, 17, 18, 23, 24, 24, 25, 26, 27, 30,
                    31, 31, 31,
                ]
            ),
            (
                32, 128, false,
                [
                    31, 31, 30, 26, 23, 16, 16, 9, 8, 7, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                ]
            ),
            (
                8, 20, true,
                [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 0, 5, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]
            ),
        ]
        for testCase in cases {
            var generator = SeededGenerator(seed: 0)
            let bias = RelativePositionBias(
                bucketCount: testCase.buckets, headCount: 2, maxDistance: testCase.maxDistance,
                isBidirectional: testCase.bidirectional, using: &generator)
            #expect(
                distances.map { bias.bucket(relativePosition: $0) } == testCase.expected,
                "\(testCase.buckets) buckets, bidirectional \(testCase.bidirectional)")
        }
    }

    @Test func biasIsLaidOutByHeadQueryAndKey() {
        var generator = SeededGenerator(seed: 0)
        let bias = RelativePositionBias(
            bucketCount: 8, headCount: 2, maxDistance: 20, isBidirectional: false,
            using: &generator)
        let table = bias.weight.value.scalars
        let values = bias(queryCount: 2, keyCount: 4, queryOffset: 2)
        #expect(values.shape == [1, 2, 2, 4])
        for head in 0..<2 {
            for query in 0..<2 {
                for key in 0..<4 {
                    let bucket = bias.bucket(relativePosition: key - (query + 2))
                    #expect(
                        values.scalars[(head * 2 + query) * 4 + key] == table[bucket * 2 + head])
                }
            }
        }
    }

    @Test(arguments: ["t5", "marian", "bart", "mbart"])
    func incrementalDecodingMatchesTeacherForcing(variant: String) throws {
        let model = try model(variant)
        let full = withoutGradients {
            model.logits(
                sources: TokenBatch(rows: sources, padID: 0),
                targetInputs: TokenBatch(rows: targetInputs, padID: 0)
            ).logSoftmax(axis: -1)
        }
        var state = model.start(sources: sources)
        for position in 0..<targetInputs[0].count {
            let step = model.step(&state, lastTokens: targetInputs.map { $0[position] })
            for row in sources.indices {
                expectClose(
                    Array(step.scalars[(row * 11)..<(row * 11 + 11)]),
                    logitRow(full, row: row, position: position))
            }
        }
    }

    @Test(arguments: ["t5", "marian", "bart", "mbart"])
    func parameterCountAndGradients(variant: String) throws {
        let model = try model(variant)
        let config = try #require(Self.variants[variant])
        #expect(config.parameterCount(for: .seq2seq) == model.parameterCount)
        var languageGenerator = SeededGenerator(seed: 1)
        let languageModel = TransformerLM(config: config, using: &languageGenerator)
        #expect(config.parameterCount(for: .languageModel) == languageModel.parameterCount)
        let paths = model.namedParameters().map(\.path)
        if config.positions == .relative {
            #expect(paths.contains("encoder.positionBias.weight"))
            #expect(paths.contains("decoder.positionBias.weight"))
        }
        if config.finalLogitsBias { #expect(paths.contains("finalLogitsBias")) }
        if config.embeddingNorm { #expect(paths.contains("encoder.embeddingNorm.weight")) }
        let (inputs, outputs) = TokenBatch.teacherForcing(
            targets: [[5, 6, 7], [9, 10]], startID: 1, endID: 2, padID: 0)
        expectParameterGradientsMatch(of: model) {
            model.loss(
                sources: TokenBatch(rows: sources, padID: 0), targetInputs: inputs,
                targetOutputs: outputs, reduction: .sum)
        }
    }

    @Test func newKeysRoundTripThroughJSON() throws {
        for config in Self.variants.values {
            let data = try JSONEncoder().encode(config)
            #expect(try JSONDecoder().decode(TransformerConfig.self, from: data) == config)
        }
    }
}
