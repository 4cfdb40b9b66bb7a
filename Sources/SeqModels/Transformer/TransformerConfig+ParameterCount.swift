extension TransformerConfig {
    /// The number of scalars in the parameters of the model `architecture` builds from this
    /// config, without building it; equals that model's `parameterCount`.
    ///
    /// Use it to compare an encoder–decoder and a decoder-only model on equal budgets.
    public func parameterCount(for architecture: TransformerArchitecture) -> Int {
        let embeddings = vocabularySize * modelSize
        let outputProjection = tiedOutputProjection ? 0 : vocabularySize * modelSize
        let positionTable =
            switch positions {
            case .learned: maxPositions * modelSize
            case .relative: relativeAttentionBuckets * headCount
            case .rotary, .sinusoidal: 0
            }
        let stackNorms =
            (normalizationPosition == .pre ? normParameterCount : 0)
            + (embeddingNorm ? normParameterCount : 0)
        let logitsBias = finalLogitsBias ? vocabularySize : 0
        let selfBlock = attentionParameterCount + feedForwardParameterCount + 2 * normParameterCount
        switch architecture {
        case .seq2seq:
            let sourceEmbeddings =
                sharedEmbeddings ? 0 : effectiveSourceVocabularySize * modelSize
            let decoderBlock = selfBlock + attentionParameterCount + normParameterCount
            return embeddings + sourceEmbeddings + outputProjection + logitsBias
                + 2 * positionTable + encoderLayerCount * selfBlock
                + decoderLayerCount * decoderBlock + 2 * stackNorms
        case .languageModel:
            return embeddings + outputProjection + logitsBias + positionTable
                + decoderLayerCount * selfBlock + stackNorms
        }
    }

    /// The number of `TransformerLM` layers whose parameter count comes closest to this
    /// config's `TransformerSeq2Seq` (at least 1), all other sizes kept.
    ///
    /// A decoder-only block has no cross attention, so the answer is somewhat more than
    /// `encoderLayerCount + decoderLayerCount`.
    public func matchingLanguageModelLayerCount() -> Int {
        let target = parameterCount(for: .seq2seq)
        var languageModel = self
        languageModel.decoderLayerCount = 1
        let base = languageModel.parameterCount(for: .languageModel)
        languageModel.decoderLayerCount = 2
        let perLayer = languageModel.parameterCount(for: .languageModel) - base
        let extra = Double(target - base) / Double(perLayer)
        return max(1, 1 + Int(extra.rounded()))
    }

    /// Query, key, value and output projections of one attention block.
    private var attentionParameterCount: Int {
        let keyValueSize = (keyValueHeadCount ?? headCount) * headSize
        let weights = 2 * modelSize * modelSize + 2 * modelSize * keyValueSize
        return weights + (bias ? 2 * modelSize + 2 * keyValueSize : 0)
    }

    /// The projections of one feed-forward block.
    private var feedForwardParameterCount: Int {
        let inward = modelSize * feedForwardSize + (bias ? feedForwardSize : 0)
        let outward = feedForwardSize * modelSize + (bias ? modelSize : 0)
        return (activation.isGated ? 2 : 1) * inward + outward
    }

    /// One norm's scale (and shift, for `LayerNorm` with biases).
    private var normParameterCount: Int {
        normalization == .layerNorm && bias ? 2 * modelSize : modelSize
    }
}
