extension TransformerConfig {
    /// Checks that every field is in range and that the fields agree with each other.
    ///
    /// Decoding calls it, and the models' initialisers trap with its message, so a model is
    /// never built from a contradictory config.
    ///
    /// - Throws: `ConfigError` naming the first offending key, such as
    ///   ``config: `headCount` = 3 does not divide `modelSize` = 256``.
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
        try requirePositive(modelSize, "modelSize")
        try requirePositive(headCount, "headCount")
        guard modelSize.isMultiple(of: headCount) else {
            throw ConfigError(
                key: "headCount",
                detail: "= \(headCount) does not divide `modelSize` = \(modelSize)")
        }
        if let keyValueHeadCount {
            try requirePositive(keyValueHeadCount, "keyValueHeadCount")
            guard headCount.isMultiple(of: keyValueHeadCount) else {
                throw ConfigError(
                    key: "keyValueHeadCount",
                    detail: "= \(keyValueHeadCount) does not divide `headCount` = \(headCount)")
            }
        }
        guard encoderLayerCount >= 0 else {
            throw ConfigError(
                key: "encoderLayerCount", detail: "= \(encoderLayerCount) is negative")
        }
        try requirePositive(decoderLayerCount, "decoderLayerCount")
        try requirePositive(feedForwardSize, "feedForwardSize")
        try validatePositions()
        if let normalizationEpsilon, !(normalizationEpsilon > 0 && normalizationEpsilon.isFinite) {
            throw ConfigError(
                key: "normalizationEpsilon", detail: "= \(normalizationEpsilon) is not positive")
        }
        for (key, probability) in [
            ("dropout", dropout), ("attentionDropout", attentionDropout),
            ("activationDropout", activationDropout),
        ] where !(probability >= 0 && probability < 1) {
            throw ConfigError(key: key, detail: "= \(probability) is outside [0, 1)")
        }
        for (key, scale) in [
            ("embeddingScale", embeddingScale), ("attentionScale", attentionScale),
            ("outputScale", outputScale),
        ] {
            if let scale, !(scale > 0 && scale.isFinite) {
                throw ConfigError(key: key, detail: "= \(scale) is not positive")
            }
        }
        try validateIDs()
    }

    /// Checks the position settings against the sizes they depend on.
    private func validatePositions() throws {
        switch positions {
        case .rotary:
            guard headSize.isMultiple(of: 2) else {
                throw ConfigError(
                    key: "positions",
                    detail:
                        "= rotary needs an even head size, but `modelSize` / `headCount` = \(headSize)"
                )
            }
            guard rotaryBase > 1 && rotaryBase.isFinite else {
                throw ConfigError(key: "rotaryBase", detail: "= \(rotaryBase) must exceed 1")
            }
        case .sinusoidal:
            guard modelSize.isMultiple(of: 2) else {
                throw ConfigError(
                    key: "positions",
                    detail: "= sinusoidal needs an even `modelSize`, got \(modelSize)")
            }
        case .learned:
            guard maxPositions > 0 else {
                throw ConfigError(
                    key: "maxPositions",
                    detail: "= \(maxPositions) must be positive for learned positions")
            }
        case .relative:
            guard relativeAttentionBuckets >= 4 && relativeAttentionBuckets.isMultiple(of: 2)
            else {
                throw ConfigError(
                    key: "relativeAttentionBuckets",
                    detail: "= \(relativeAttentionBuckets) must be even and at least 4")
            }
            guard relativeAttentionMaxDistance > relativeAttentionBuckets / 2 else {
                throw ConfigError(
                    key: "relativeAttentionMaxDistance",
                    detail:
                        "= \(relativeAttentionMaxDistance) must exceed half of `relativeAttentionBuckets` = \(relativeAttentionBuckets)"
                )
            }
        }
    }

    /// Checks that the special ids exist in the vocabularies that use them.
    private func validateIDs() throws {
        var ids = [("padID", padID), ("startID", startID), ("endID", endID)]
        if let separatorID { ids.append(("separatorID", separatorID)) }
        for (key, id) in ids where !(0..<Int32(clamping: vocabularySize)).contains(id) {
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
}
