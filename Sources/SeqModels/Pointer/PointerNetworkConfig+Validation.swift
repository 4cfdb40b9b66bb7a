extension PointerNetworkConfig {
    /// Checks that every field is in range and that the fields agree with each other.
    ///
    /// Decoding calls it, and `PointerNetwork`'s initialiser traps with its message, so a
    /// model is never built from a contradictory config.
    ///
    /// - Throws: `ConfigError` naming the first offending key, such as
    ///   ``config: `processSteps` = 5 needs `encoder` = readProcessWrite``.
    public func validate() throws {
        for (key, size) in [
            ("elementSize", elementSize), ("hiddenSize", hiddenSize),
            ("embeddingSize", effectiveEmbeddingSize), ("attentionSize", effectiveAttentionSize),
        ] where size <= 0 {
            throw ConfigError(key: key, detail: "= \(size) is not positive")
        }
        guard processSteps >= 0 else {
            throw ConfigError(key: "processSteps", detail: "= \(processSteps) is negative")
        }
        guard glimpseCount >= 0 else {
            throw ConfigError(key: "glimpseCount", detail: "= \(glimpseCount) is negative")
        }
        switch encoder {
        case .lstm:
            guard processSteps == 0 else {
                throw ConfigError(
                    key: "processSteps",
                    detail: "= \(processSteps) needs `encoder` = readProcessWrite")
            }
        case .readProcessWrite:
            guard effectiveEmbeddingSize == hiddenSize else {
                throw ConfigError(
                    key: "embeddingSize",
                    detail:
                        "= \(effectiveEmbeddingSize) must equal `hiddenSize` = \(hiddenSize) with `encoder` = readProcessWrite (the memory is the embedding)"
                )
            }
        }
        if let logitClip, !(logitClip > 0 && logitClip.isFinite) {
            throw ConfigError(key: "logitClip", detail: "= \(logitClip) is not positive")
        }
        if let initializationRange, !(initializationRange > 0 && initializationRange.isFinite) {
            throw ConfigError(
                key: "initializationRange", detail: "= \(initializationRange) is not positive")
        }
        if maskedTraining && constraint == .unconstrained {
            throw ConfigError(
                key: "maskedTraining", detail: "= true has no effect with `constraint` = none")
        }
    }
}
