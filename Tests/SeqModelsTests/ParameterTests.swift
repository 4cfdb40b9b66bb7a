import SeqModels
import SeqNN
import SeqTensor
import Testing

/// Pins the parameter paths (checkpoints and importers key on them) and the parameter counts.
@Suite struct ParameterTests {
    private func paths(_ module: some Module) -> [String] {
        module.namedParameters().map { "\($0.path) \($0.parameter.shape)" }
    }

    private func oneLayerConfig() -> TransformerConfig {
        var config = tinyConfig()
        config.encoderLayerCount = 1
        config.decoderLayerCount = 1
        return config
    }

    private static func attention(_ prefix: String) -> [String] {
        [
            "\(prefix).query.weight [16, 16]", "\(prefix).query.bias [16]",
            "\(prefix).key.weight [8, 16]", "\(prefix).key.bias [8]",
            "\(prefix).value.weight [8, 16]", "\(prefix).value.bias [8]",
            "\(prefix).output.weight [16, 16]", "\(prefix).output.bias [16]",
        ]
    }

    private static func norm(_ prefix: String) -> [String] {
        ["\(prefix).weight [16]", "\(prefix).bias [16]"]
    }

    private static func feedForward(_ prefix: String) -> [String] {
        [
            "\(prefix).up.weight [24, 16]", "\(prefix).up.bias [24]",
            "\(prefix).down.weight [16, 24]", "\(prefix).down.bias [16]",
        ]
    }

    @Test func seq2seqPathsWithSharedTiedEmbeddings() {
        var generator = SeededGenerator(seed: 0)
        let model = TransformerSeq2Seq(config: oneLayerConfig(), using: &generator)
        let encoder = "encoder.layers.0"
        let decoder = "decoder.layers.0"
        let expected: [String] =
            ["targetEmbedding.weight [11, 16]"]
            + Self.attention("\(encoder).selfAttention") + Self.norm("\(encoder).selfAttentionNorm")
            + Self.feedForward("\(encoder).feedForward") + Self.norm("\(encoder).feedForwardNorm")
            + Self.norm("encoder.finalNorm")
            + Self.attention("\(decoder).selfAttention") + Self.norm("\(decoder).selfAttentionNorm")
            + Self.attention("\(decoder).crossAttention")
            + Self.norm("\(decoder).crossAttentionNorm")
            + Self.feedForward("\(decoder).feedForward") + Self.norm("\(decoder).feedForwardNorm")
            + Self.norm("decoder.finalNorm")
        #expect(paths(model) == expected)
    }

    @Test func seq2seqPathsWithSeparateTablesLearnedPositionsAndPostNorm() {
        var config = oneLayerConfig()
        config.sharedEmbeddings = false
        config.sourceVocabularySize = 13
        config.tiedOutputProjection = false
        config.positions = .learned
        config.normalizationPosition = .post
        config.normalization = .rmsNorm
        config.bias = false
        config.activation = .swiGLU
        var generator = SeededGenerator(seed: 0)
        let found = paths(TransformerSeq2Seq(config: config, using: &generator))
        #expect(
            Array(found.prefix(4)) == [
                "sourceEmbedding.weight [13, 16]", "targetEmbedding.weight [11, 16]",
                "sourcePositions.weight [32, 16]", "targetPositions.weight [32, 16]",
            ])
        #expect(found.last == "outputProjection.weight [11, 16]")
        #expect(!found.contains { $0.contains("finalNorm") || $0.contains("bias") })
        #expect(found.contains("encoder.layers.0.feedForward.gate.weight [24, 16]"))
        #expect(found.contains("decoder.layers.0.crossAttentionNorm.weight [16]"))
    }

    @Test func tiedOutputProjectionHasNoWeightOfItsOwn() {
        var generator = SeededGenerator(seed: 0)
        let tied = TransformerSeq2Seq(config: oneLayerConfig(), using: &generator)
        #expect(tied.outputProjection == nil)
        #expect(!paths(tied).contains { $0.hasPrefix("outputProjection") })
        let weight = withoutGradients { tied.outputWeight }
        #expect(weight.scalars == withoutGradients { tied.targetEmbedding.weight.value }.scalars)
    }

    @Test func languageModelPaths() {
        var config = oneLayerConfig()
        config.positions = .learned
        var generator = SeededGenerator(seed: 0)
        let model = TransformerLM(config: config, using: &generator)
        let layer = "decoder.layers.0"
        let expected: [String] =
            ["embedding.weight [11, 16]", "positions.weight [32, 16]"]
            + Self.attention("\(layer).selfAttention") + Self.norm("\(layer).selfAttentionNorm")
            + Self.feedForward("\(layer).feedForward") + Self.norm("\(layer).feedForwardNorm")
            + Self.norm("decoder.finalNorm")
        #expect(paths(model) == expected)
    }

    @Test func analyticCountsMatchTheModels() {
        var variants: [TransformerConfig] = [tinyConfig()]
        var config = tinyConfig(positions: .learned, normalizationPosition: .post)
        config.sharedEmbeddings = false
        config.sourceVocabularySize = 17
        config.tiedOutputProjection = false
        config.activation = .swiGLU
        variants.append(config)
        config.bias = false
        config.normalization = .rmsNorm
        config.keyValueHeadCount = 1
        config.encoderLayerCount = 0
        variants.append(config)
        for config in variants {
            var generator = SeededGenerator(seed: 0)
            let seq2seq = TransformerSeq2Seq(config: config, using: &generator)
            let languageModel = TransformerLM(config: config, using: &generator)
            #expect(config.parameterCount(for: .seq2seq) == seq2seq.parameterCount)
            #expect(config.parameterCount(for: .languageModel) == languageModel.parameterCount)
        }
    }

    @Test func matchingLayerCountGivesTheClosestBudget() {
        var config = TransformerConfig()
        config.encoderLayerCount = 4
        config.decoderLayerCount = 2
        let target = config.parameterCount(for: .seq2seq)
        let layers = config.matchingLanguageModelLayerCount()
        func gap(_ count: Int) -> Int {
            var languageModel = config
            languageModel.decoderLayerCount = count
            return abs(languageModel.parameterCount(for: .languageModel) - target)
        }
        #expect(layers >= 6)
        #expect(gap(layers) <= gap(layers - 1) && gap(layers) <= gap(layers + 1))
    }
}
