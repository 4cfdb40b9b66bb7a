import SeqNN
import SeqTensor

// How the Transformer models build and initialise their parts from a config.
//
// Initialisation follows fairseq's `TransformerModel`: projections Xavier-uniform with zero
// biases (query, key and value with gain 1/√2, which for square projections equals PyTorch's
// Xavier bound on the packed `in_proj_weight`), token embeddings and an untied output
// projection `N(0, modelSize^-1/2)` with the padding row zero, learned positions
// `N(0, modelSize^-1/2)`, norms `γ = 1, β = 0`.

extension TransformerConfig {
    /// Traps with the `ConfigError` message unless the config is valid.
    func checkValid(for model: String) {
        do {
            try validate()
        } catch {
            preconditionFailure("\(model): \(error)")
        }
    }

    /// A fresh `LayerNorm` or `RMSNorm` over `modelSize`.
    func makeNorm() -> any UnaryLayer {
        switch normalization {
        case .layerNorm:
            LayerNorm(size: modelSize, epsilon: effectiveNormalizationEpsilon, bias: bias)
        case .rmsNorm: RMSNorm(size: modelSize, epsilon: effectiveNormalizationEpsilon)
        }
    }

    /// Self attention, rotary when `positions` is `rotary`.
    func makeSelfAttention(using generator: inout SeededGenerator) -> MultiHeadAttention {
        MultiHeadAttention(
            modelSize: modelSize, headCount: headCount, keyValueHeadCount: keyValueHeadCount,
            bias: bias, dropout: attentionDropout, rotary: positions == .rotary,
            rotaryBase: rotaryBase, scale: attentionScale, using: &generator)
    }

    /// Cross attention, never rotary (source and target positions are unrelated).
    func makeCrossAttention(using generator: inout SeededGenerator) -> MultiHeadAttention {
        MultiHeadAttention(
            modelSize: modelSize, headCount: headCount, keyValueHeadCount: keyValueHeadCount,
            bias: bias, dropout: attentionDropout, rotary: false, scale: attentionScale,
            using: &generator)
    }

    /// A feed-forward block.
    func makeFeedForward(using generator: inout SeededGenerator) -> FeedForward {
        FeedForward(
            modelSize: modelSize, feedForwardSize: feedForwardSize, activation: activation,
            bias: bias, dropout: activationDropout, using: &generator)
    }

    /// A token table drawn from `N(0, modelSize^-1/2)` with the `padID` row zero.
    func makeEmbedding(vocabularySize: Int, using generator: inout SeededGenerator) -> Embedding {
        let embedding = Embedding(
            vocabularySize: vocabularySize, modelSize: modelSize, using: &generator)
        var scalars = scaledNormal([vocabularySize, modelSize], using: &generator).scalars
        let row = Int(padID) * modelSize
        scalars.replaceSubrange(row..<(row + modelSize), with: repeatElement(0, count: modelSize))
        embedding.weight.value = Tensor(shape: [vocabularySize, modelSize], scalars: scalars)
        return embedding
    }

    /// Learned positions drawn from `N(0, modelSize^-1/2)`, or `nil` for other encodings.
    func makeLearnedPositions(using generator: inout SeededGenerator)
        -> LearnedPositionalEmbedding?
    {
        guard positions == .learned else { return nil }
        let table = LearnedPositionalEmbedding(
            maxLength: maxPositions, modelSize: modelSize, using: &generator)
        table.weight.value = scaledNormal([maxPositions, modelSize], using: &generator)
        return table
    }

    /// The sine/cosine signal, or `nil` for other encodings.
    func makeSinusoid() -> SinusoidalPositionalEncoding? {
        guard positions == .sinusoidal else { return nil }
        return SinusoidalPositionalEncoding(modelSize: modelSize, layout: sinusoidalLayout)
    }

    /// A stack's relative position bias drawn from `N(0, modelSize^-1/2)`, or `nil` for
    /// other encodings.
    func makeRelativePositionBias(
        bidirectional: Bool, using generator: inout SeededGenerator
    ) -> RelativePositionBias? {
        guard positions == .relative else { return nil }
        let bias = RelativePositionBias(
            bucketCount: relativeAttentionBuckets, headCount: headCount,
            maxDistance: relativeAttentionMaxDistance, isBidirectional: bidirectional,
            using: &generator)
        bias.weight.value = scaledNormal(bias.weight.shape, using: &generator)
        return bias
    }

    /// The norm of a stack's embedded input, or `nil` without `embeddingNorm`.
    func makeEmbeddingNorm() -> (any UnaryLayer)? {
        embeddingNorm ? makeNorm() : nil
    }

    /// The zero-initialised logits bias `[vocabularySize]`, or `nil` without
    /// `finalLogitsBias`.
    func makeFinalLogitsBias() -> Parameter? {
        finalLogitsBias ? Parameter(.zeros([vocabularySize])) : nil
    }

    /// A bias-free `[modelSize → vocabularySize]` projection drawn from
    /// `N(0, modelSize^-1/2)`, or `nil` when tied to the target embedding.
    func makeOutputProjection(using generator: inout SeededGenerator) -> Linear? {
        guard !tiedOutputProjection else { return nil }
        let projection = Linear(
            inputSize: modelSize, outputSize: vocabularySize, bias: false, using: &generator)
        projection.weight.value = scaledNormal([vocabularySize, modelSize], using: &generator)
        return projection
    }

    /// `N(0, modelSize^-1/2)` values.
    private func scaledNormal(_ shape: [Int], using generator: inout SeededGenerator) -> Tensor {
        .normal(shape, standardDeviation: 1 / Float(modelSize).squareRoot(), using: &generator)
    }
}

/// Redraws the projections of every attention and feed-forward block below `module`:
/// Xavier-uniform weights (gain `1/√2` for queries, keys and values) and zero biases.
func initializeBlockProjections(of module: any Module, using generator: inout SeededGenerator) {
    let halfGain = 1 / Float(2).squareRoot()
    for child in module.modules() {
        if let attention = child as? MultiHeadAttention {
            xavierInitialize(attention.query, gain: halfGain, using: &generator)
            xavierInitialize(attention.key, gain: halfGain, using: &generator)
            xavierInitialize(attention.value, gain: halfGain, using: &generator)
            xavierInitialize(attention.output, gain: 1, using: &generator)
        } else if let feedForward = child as? FeedForward {
            if let gate = feedForward.gate { xavierInitialize(gate, gain: 1, using: &generator) }
            xavierInitialize(feedForward.up, gain: 1, using: &generator)
            xavierInitialize(feedForward.down, gain: 1, using: &generator)
        }
    }
}

/// `W ~ U(−a, a)` with `a = gain · √(6 / (fanIn + fanOut))`, `b = 0`.
private func xavierInitialize(_ linear: Linear, gain: Float, using generator: inout SeededGenerator)
{
    let bound = gain * (6 / Float(linear.inputSize + linear.outputSize)).squareRoot()
    linear.weight.value = .uniform(linear.weight.shape, in: -bound...bound, using: &generator)
    if let bias = linear.bias { bias.value = .zeros(bias.shape) }
}
