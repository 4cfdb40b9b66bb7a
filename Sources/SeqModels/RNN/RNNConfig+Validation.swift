extension RNNConfig {
    /// Checks that every field is in range and that the fields agree with each other.
    ///
    /// Decoding calls it, and `RNNSeq2Seq`'s initialiser traps with its message, so a model is
    /// never built from a contradictory config.
    ///
    /// - Throws: `ConfigError` naming the first offending key, such as
    ///   ``config: `attention` = dot needs encoder outputs of `hiddenSize` = 256, got 512``.
    public func validate() throws {
        try requirePositive(vocabularySize, "vocabularySize")
        if let sourceVocabularySize {
            try requirePositive(sourceVocabularySize, "sourceVocabularySize")
            if sharedEmbeddings && sourceVocabularySize != vocabularySize {
                throw ConfigError(
                    key: "sourceVocabularySize",
                    detail:
                        "= \(sourceVocabularySize) differs from `vocabularySize` = \(vocabularySize), but `sharedEmbeddings` is true"
                )
            }
        }
        try requirePositive(embeddingSize, "embeddingSize")
        try requirePositive(hiddenSize, "hiddenSize")
        if let encoderHiddenSize {
            try requirePositive(encoderHiddenSize, "encoderHiddenSize")
        } else if bidirectional && !hiddenSize.isMultiple(of: 2) {
            throw ConfigError(
                key: "hiddenSize",
                detail:
                    "= \(hiddenSize) is odd, so a bidirectional encoder cannot split it (set `encoderHiddenSize`)"
            )
        }
        try requirePositive(encoderLayerCount, "encoderLayerCount")
        try requirePositive(decoderLayerCount, "decoderLayerCount")
        try validateAttention()
        try validateBridge()
        if tiedOutputProjection && embeddingSize != hiddenSize {
            throw ConfigError(
                key: "tiedOutputProjection",
                detail:
                    "needs `embeddingSize` = \(embeddingSize) to equal `hiddenSize` = \(hiddenSize)"
            )
        }
        guard dropout >= 0 && dropout < 1 else {
            throw ConfigError(key: "dropout", detail: "= \(dropout) is outside [0, 1)")
        }
        if let uniformInitialization, !(uniformInitialization > 0 && uniformInitialization.isFinite)
        {
            throw ConfigError(
                key: "uniformInitialization", detail: "= \(uniformInitialization) is not positive")
        }
        try validateIDs()
    }

    /// Checks the attention settings against the sizes they depend on.
    private func validateAttention() throws {
        if let attentionSize {
            guard attention == .additive else {
                throw ConfigError(
                    key: "attentionSize",
                    detail: "= \(attentionSize) is only used by `attention: additive`")
            }
            try requirePositive(attentionSize, "attentionSize")
        }
        if attention == .dot && encoderOutputSize != hiddenSize {
            throw ConfigError(
                key: "attention",
                detail:
                    "= dot needs encoder outputs of `hiddenSize` = \(hiddenSize), got \(encoderOutputSize) (directions × `encoderHiddenSize`)"
            )
        }
        if inputFeeding == true && attention == .none {
            throw ConfigError(
                key: "inputFeeding", detail: "= true needs attention, but `attention` is none")
        }
    }

    /// Checks that the bridge can map the encoder's final states onto the decoder's.
    private func validateBridge() throws {
        switch bridge {
        case .none:
            guard attention != .none else {
                throw ConfigError(
                    key: "bridge",
                    detail: "= none with `attention` none: the decoder would never see the source")
            }
        case .copy, .linear:
            guard encoderLayerCount == decoderLayerCount else {
                throw ConfigError(
                    key: "bridge",
                    detail:
                        "= \(bridge.rawValue) needs `encoderLayerCount` = \(encoderLayerCount) to equal `decoderLayerCount` = \(decoderLayerCount)"
                )
            }
            guard bridge == .linear || encoderOutputSize == hiddenSize else {
                throw ConfigError(
                    key: "bridge",
                    detail:
                        "= copy needs encoder states of `hiddenSize` = \(hiddenSize), got \(encoderOutputSize) (directions × `encoderHiddenSize`); use `linear`"
                )
            }
        }
    }

    /// Checks that the special ids exist in the vocabularies that use them.
    private func validateIDs() throws {
        for (key, id) in [("padID", padID), ("startID", startID), ("endID", endID)]
        where !(0..<Int32(clamping: vocabularySize)).contains(id) {
            throw ConfigError(
                key: key,
                detail: "= \(id) is outside the vocabulary 0..<\(vocabularySize) (`vocabularySize`)"
            )
        }
        guard padID < effectiveSourceVocabularySize else {
            throw ConfigError(
                key: "padID",
                detail:
                    "= \(padID) is outside the source vocabulary 0..<\(effectiveSourceVocabularySize) (`sourceVocabularySize`)"
            )
        }
        guard endID != padID else {
            throw ConfigError(
                key: "endID",
                detail: "= \(endID) equals `padID`, so the end token would be ignored as padding")
        }
    }

    /// Throws unless `value` is positive.
    private func requirePositive(_ value: Int, _ key: String) throws {
        guard value > 0 else { throw ConfigError(key: key, detail: "= \(value) must be positive") }
    }

    /// Traps with the `ConfigError` message unless the config is valid.
    func checkValid(for model: String) {
        do {
            try validate()
        } catch {
            preconditionFailure("\(model): \(error)")
        }
    }
}
