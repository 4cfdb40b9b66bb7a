import SeqNN

/// The sizes and choices of a recurrent encoder–decoder (`RNNSeq2Seq`).
///
/// Every field has a default, so a config file may name only what it changes; an unknown key
/// or a contradiction is a `ConfigError` naming the key (see `validate()`). The defaults are a
/// two-layer LSTM encoder and decoder of 512 units with Luong's `general` attention and input
/// feeding, 256-dimensional separate embeddings, and the ids of SeqText's SentencePiece
/// defaults. Sutskever and others (2014) is `attention: none`, `reverseSource: true`,
/// `bridge: copy`; Bahdanau and others (2015) is closest to `bidirectional: true`,
/// `attention: additive`, `bridge: linear`, `cell: gru`.
///
/// ```yaml
/// model: {cell: lstm, hiddenSize: 256, attention: none, reverseSource: true}
/// ```
public struct RNNConfig: Codable, Sendable, Equatable {
    /// The recurrent unit of the encoder and the decoder.
    public enum Cell: String, Codable, Sendable, CaseIterable {
        /// `LSTMCell`: the state is a hidden and a memory cell vector.
        case lstm
        /// `GRUCell`: the state is one hidden vector.
        case gru
    }

    /// How the decoder reads the encoder outputs at each step.
    public enum Attention: String, Codable, Sendable, CaseIterable {
        /// No attention: the decoder sees the source only through its initial state (the
        /// `bridge`), as in Sutskever and others.
        case none
        /// Bahdanau's additive score `vᵀ tanh(W_q h_t + W_k h̄_s + b)` (`AdditiveAttention`).
        case additive
        /// Luong's `h_tᵀ h̄_s`; needs encoder outputs of `hiddenSize`.
        case dot
        /// Luong's `h_tᵀ W_a h̄_s`.
        case general
    }

    /// How the encoder's final states become the decoder's initial states.
    public enum Bridge: String, Codable, Sendable, CaseIterable {
        /// The decoder starts from zeros.
        case none
        /// Decoder layer `l` starts from encoder layer `l`'s final state (both directions
        /// concatenated); needs equal layer counts and `directions · encoderHiddenSize =
        /// hiddenSize`.
        case copy
        /// Decoder layer `l` starts from `tanh(W_h [→h_l ; ←h_l] + b_h)` and, for an LSTM, the
        /// cell `W_c [→c_l ; ←c_l] + b_c`, one `W_h` (and `W_c`) shared by all layers; needs
        /// equal layer counts.
        case linear
    }

    /// `lstm` (default) or `gru`, for both the encoder and the decoder.
    public var cell: Cell = .lstm
    /// The size of the target vocabulary, also the source's unless `sourceVocabularySize` is set.
    ///
    /// Default 8000.
    public var vocabularySize = 8000
    /// The size of a separate source vocabulary, or `nil` for the same as `vocabularySize`.
    ///
    /// Must be `nil` or equal with `sharedEmbeddings`. Default `nil`.
    public var sourceVocabularySize: Int? = nil
    /// Whether source and target share one embedding table (needs one vocabulary).
    ///
    /// Default `false`, as in Sutskever and others.
    public var sharedEmbeddings = false
    /// The size of every token vector.
    ///
    /// Default 256.
    public var embeddingSize = 256
    /// The size of each decoder layer's state, which is also the size of the attentional vector and
    /// of the encoder outputs (unless `encoderHiddenSize` says otherwise).
    ///
    /// Default 512.
    public var hiddenSize = 512
    /// The state size of each encoder direction, or `nil` for `hiddenSize / directions`, so that
    /// the encoder outputs (both directions concatenated) have `hiddenSize` entries.
    ///
    /// Default `nil`.
    public var encoderHiddenSize: Int? = nil
    /// The number of stacked encoder layers.
    ///
    /// Default 2.
    public var encoderLayerCount = 2
    /// The number of stacked decoder layers.
    ///
    /// Default 2.
    public var decoderLayerCount = 2
    /// Whether every encoder layer reads the source in both directions and concatenates the two
    /// states at each position (Schuster and Paliwal).
    ///
    /// Default `false`.
    public var bidirectional = false
    /// Whether the encoder reads the source words in reverse (Sutskever and others).
    ///
    /// A trailing `endID` stays last: `a b c </s>` is read as `c b a </s>`, so the end marker
    /// still separates the source from the first target word, and the first source words
    /// are the ones nearest to the start of the target. Default `false`.
    public var reverseSource = false
    /// `none`, `additive`, `dot` or `general` (default).
    public var attention: Attention = .general
    /// The hidden size of the `additive` score, or `nil` for `hiddenSize`; only with `additive`
    /// attention.
    ///
    /// Default `nil`.
    public var attentionSize: Int? = nil
    /// Whether the attentional vector `h̃_{t−1}` is concatenated to the next step's input
    /// embedding (Luong's input feeding), or `nil` for "whenever there is attention".
    ///
    /// Needs attention. Default `nil`.
    public var inputFeeding: Bool? = nil
    /// `none`, `copy` (default) or `linear`.
    public var bridge: Bridge = .copy
    /// Whether the output projection is the target embedding table, transposed (needs
    /// `embeddingSize = hiddenSize`); otherwise it is a `Linear` with a bias.
    ///
    /// Default `false`.
    public var tiedOutputProjection = false
    /// Dropout on the embeddings, between stacked layers and on the decoder output before the
    /// projection.
    ///
    /// Default 0.2.
    public var dropout: Float = 0.2
    /// The bound `r` of a uniform initialisation `U(−r, r)` of every parameter (Sutskever and
    /// others use 0.08), or `nil` for each layer's PyTorch default.
    ///
    /// Default `nil`.
    public var uniformInitialization: Float? = nil
    /// The padding id, whose embedding starts at zero.
    ///
    /// Default 0.
    public var padID: Int32 = 0
    /// The id every output starts with.
    ///
    /// Default 1.
    public var startID: Int32 = 1
    /// The id that ends an output (and, by convention, every source).
    ///
    /// Default 2.
    public var endID: Int32 = 2

    /// A config with every default.
    public init() {}

    /// The keys a config file may use: the property names.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case cell, vocabularySize, sourceVocabularySize, sharedEmbeddings, embeddingSize
        case hiddenSize, encoderHiddenSize, encoderLayerCount, decoderLayerCount, bidirectional
        case reverseSource, attention, attentionSize, inputFeeding, bridge, tiedOutputProjection
        case dropout, uniformInitialization, padID, startID, endID
    }

    /// Decodes a config in which every key is optional, then validates it.
    ///
    /// - Throws: `ConfigError` naming the key: unknown keys, values of the wrong type, and
    ///   every contradiction `validate()` finds. Keys of a nested config carry its path.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let defaults = RNNConfig()
        func value<Value: Decodable>(_ key: CodingKeys, _ path: KeyPath<Self, Value>) throws
            -> Value
        {
            try container.decode(forKey: key, default: defaults[keyPath: path])
        }
        func choice<Value: Decodable & CaseIterable & RawRepresentable>(
            _ key: CodingKeys, _ path: KeyPath<Self, Value>
        ) throws -> Value where Value.RawValue == String {
            try container.decode(forKey: key, default: defaults[keyPath: path])
        }
        cell = try choice(.cell, \.cell)
        vocabularySize = try value(.vocabularySize, \.vocabularySize)
        sourceVocabularySize = try value(.sourceVocabularySize, \.sourceVocabularySize)
        sharedEmbeddings = try value(.sharedEmbeddings, \.sharedEmbeddings)
        embeddingSize = try value(.embeddingSize, \.embeddingSize)
        hiddenSize = try value(.hiddenSize, \.hiddenSize)
        encoderHiddenSize = try value(.encoderHiddenSize, \.encoderHiddenSize)
        encoderLayerCount = try value(.encoderLayerCount, \.encoderLayerCount)
        decoderLayerCount = try value(.decoderLayerCount, \.decoderLayerCount)
        bidirectional = try value(.bidirectional, \.bidirectional)
        reverseSource = try value(.reverseSource, \.reverseSource)
        attention = try choice(.attention, \.attention)
        attentionSize = try value(.attentionSize, \.attentionSize)
        inputFeeding = try value(.inputFeeding, \.inputFeeding)
        bridge = try choice(.bridge, \.bridge)
        tiedOutputProjection = try value(.tiedOutputProjection, \.tiedOutputProjection)
        dropout = try value(.dropout, \.dropout)
        uniformInitialization = try value(.uniformInitialization, \.uniformInitialization)
        padID = try value(.padID, \.padID)
        startID = try value(.startID, \.startID)
        endID = try value(.endID, \.endID)
        do {
            try validate()
        } catch let error as ConfigError {
            throw error.prefixed(by: decoder.codingPath)
        }
    }
}

extension RNNConfig {
    /// The number of directions each encoder layer reads in: 2 when `bidirectional`, else 1.
    public var directionCount: Int { bidirectional ? 2 : 1 }
    /// The state size of each encoder direction in effect: `encoderHiddenSize ?? hiddenSize /
    /// directionCount`.
    public var effectiveEncoderHiddenSize: Int {
        encoderHiddenSize ?? hiddenSize / directionCount
    }
    /// The size of each encoder output (and of each encoder layer's final state, directions
    /// concatenated): `directionCount · effectiveEncoderHiddenSize`.
    public var encoderOutputSize: Int { directionCount * effectiveEncoderHiddenSize }
    /// The source vocabulary size in effect: `sourceVocabularySize ?? vocabularySize`.
    public var effectiveSourceVocabularySize: Int { sourceVocabularySize ?? vocabularySize }
    /// Whether input feeding is on: `inputFeeding`, or by default whenever there is attention.
    public var effectiveInputFeeding: Bool { inputFeeding ?? (attention != .none) }
    /// The size of each decoder step's input: the embedding, plus the attentional vector with input
    /// feeding.
    public var decoderInputSize: Int { embeddingSize + (effectiveInputFeeding ? hiddenSize : 0) }
}
