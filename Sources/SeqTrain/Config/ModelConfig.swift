import SeqModels

/// The settings under the `model` key: the config of the family `architecture` names.
///
/// `transformer` and `transformer-lm` read a `TransformerConfig`, `rnn` an `RNNConfig`; each
/// is decoded strictly, so a key of the other family is an unknown key named with its path
/// (`model.headCount`).
public enum ModelConfig: Sendable, Equatable {
    /// A `TransformerSeq2Seq` or `TransformerLM`.
    case transformer(TransformerConfig)
    /// An `RNNSeq2Seq`.
    case rnn(RNNConfig)

    /// Every default of `architecture`'s config.
    public init(defaultFor architecture: Architecture) {
        switch architecture {
        case .transformer, .transformerLM: self = .transformer(TransformerConfig())
        case .rnn: self = .rnn(RNNConfig())
        }
    }

    /// Decodes the value under `key` as `architecture`'s config, or its defaults when absent.
    ///
    /// - Throws: `ConfigError` naming the key, or a `DecodingError`.
    init<Key: CodingKey>(
        from container: KeyedDecodingContainer<Key>, forKey key: Key, architecture: Architecture
    ) throws {
        switch architecture {
        case .transformer, .transformerLM:
            self = .transformer(
                try container.decodeIfPresent(TransformerConfig.self, forKey: key)
                    ?? TransformerConfig())
        case .rnn:
            self = .rnn(try container.decodeIfPresent(RNNConfig.self, forKey: key) ?? RNNConfig())
        }
    }

    /// Encodes the family's config itself under `key`.
    func encode<Key: CodingKey>(to container: inout KeyedEncodingContainer<Key>, forKey key: Key)
        throws
    {
        switch self {
        case .transformer(let config): try container.encode(config, forKey: key)
        case .rnn(let config): try container.encode(config, forKey: key)
        }
    }

    /// The Transformer settings, or `nil` for another family.
    public var transformer: TransformerConfig? {
        if case .transformer(let config) = self { return config }
        return nil
    }

    /// The recurrent settings, or `nil` for another family.
    public var rnn: RNNConfig? {
        if case .rnn(let config) = self { return config }
        return nil
    }

    /// The target vocabulary size.
    public var vocabularySize: Int {
        switch self {
        case .transformer(let config): config.vocabularySize
        case .rnn(let config): config.vocabularySize
        }
    }

    /// The padding id.
    public var padID: Int32 {
        switch self {
        case .transformer(let config): config.padID
        case .rnn(let config): config.padID
        }
    }

    /// The id every output starts with.
    public var startID: Int32 {
        switch self {
        case .transformer(let config): config.startID
        case .rnn(let config): config.startID
        }
    }

    /// The id that ends an output.
    public var endID: Int32 {
        switch self {
        case .transformer(let config): config.endID
        case .rnn(let config): config.endID
        }
    }

    /// Whether this is the config `architecture` reads.
    public func fits(_ architecture: Architecture) -> Bool {
        switch (self, architecture) {
        case (.transformer, .transformer), (.transformer, .transformerLM), (.rnn, .rnn): true
        default: false
        }
    }

    /// Checks the family's config (`TransformerConfig.validate()` or `RNNConfig.validate()`).
    ///
    /// - Throws: `ConfigError` naming the key, without the `model.` prefix.
    public func validate() throws {
        switch self {
        case .transformer(let config): try config.validate()
        case .rnn(let config): try config.validate()
        }
    }
}
