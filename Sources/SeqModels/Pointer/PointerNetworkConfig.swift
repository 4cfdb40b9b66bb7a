/// The sizes and choices of a `PointerNetwork`, with either encoder: an LSTM over the input
/// sequence (Pointer Networks) or Read–Process–Write over the input set (Order Matters).
///
/// Every field has a default, so a config file may name only what it changes; an unknown key
/// or a contradiction is a `ConfigError` naming the key (see `validate()`).
///
/// ```json
/// {"elementSize": 1, "hiddenSize": 128, "encoder": "readProcessWrite", "processSteps": 5,
///  "glimpseCount": 1, "constraint": "permutation"}
/// ```
public struct PointerNetworkConfig: Codable, Sendable, Equatable {
    /// How the input elements are encoded into the memory the decoder points at.
    public enum Encoder: String, Codable, Sendable, CaseIterable {
        /// An LSTM reads the embedded elements in order; its outputs are the memory and its
        /// final state starts the decoder (Vinyals, Fortunato and Jaitly, 2015).
        case lstm
        /// The embedded elements are the memory (read); an input-less LSTM attends over them
        /// for `processSteps` steps (process), and its readout starts the decoder (write);
        /// invariant to the order of the elements (Vinyals, Bengio and Kudlur, 2016).
        case readProcessWrite
    }

    /// The number of values per input element: 1 for numbers, 2 for planar points.
    ///
    /// Default 2.
    public var elementSize = 2
    /// The size of the LSTM states and of the memory.
    ///
    /// Default 256 (the papers use 256 or 512).
    public var hiddenSize = 256
    /// The size of each embedded element, or `nil` for `hiddenSize`.
    ///
    /// `readProcessWrite` needs it equal to `hiddenSize` (the memory is the embedding).
    /// Default `nil`.
    public var embeddingSize: Int? = nil
    /// The size of the hidden layer of the pointer and glimpse scores, or `nil` for
    /// `hiddenSize`.
    ///
    /// Default `nil`.
    public var attentionSize: Int? = nil
    /// `lstm` (default) or `readProcessWrite`.
    public var encoder: Encoder = .lstm
    /// The number `P` of process steps of `readProcessWrite` (0 is allowed); must be 0 with
    /// `lstm`.
    ///
    /// Default 0.
    public var processSteps = 0
    /// The number of glimpses (attention reads of the memory) that refine each pointing query.
    ///
    /// Default 0.
    public var glimpseCount = 0
    /// `C` in the pointer's clipped scores `C · tanh(u)` (Bello and others use 10), or `nil`.
    ///
    /// Default `nil`.
    public var logitClip: Float? = nil
    /// Which outputs decoding allows by default: `none` (default), `noRepeats` or
    /// `permutation`.
    public var constraint: PointerConstraint = .unconstrained
    /// Whether the training loss applies `constraint`'s masks too, so training and decoding
    /// see the same distribution; Vinyals and others train without them.
    ///
    /// Default `false`.
    public var maskedTraining = false
    /// `r` to draw every parameter from `U(-r, r)` (Pointer Networks use 0.08), or `nil` for
    /// each layer's own initialisation.
    ///
    /// Default `nil`.
    public var initializationRange: Float? = nil

    /// A config with every default.
    public init() {}

    /// The keys a config file may use: the property names.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case elementSize, hiddenSize, embeddingSize, attentionSize, encoder, processSteps
        case glimpseCount, logitClip, constraint, maskedTraining, initializationRange
    }

    /// Decodes a config in which every key is optional, then validates it.
    ///
    /// - Throws: `ConfigError` naming the key: unknown keys, values of the wrong type, and
    ///   every contradiction `validate()` finds. Keys of a nested config carry its path.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let defaults = PointerNetworkConfig()
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
        elementSize = try value(.elementSize, \.elementSize)
        hiddenSize = try value(.hiddenSize, \.hiddenSize)
        embeddingSize = try value(.embeddingSize, \.embeddingSize)
        attentionSize = try value(.attentionSize, \.attentionSize)
        encoder = try choice(.encoder, \.encoder)
        processSteps = try value(.processSteps, \.processSteps)
        glimpseCount = try value(.glimpseCount, \.glimpseCount)
        logitClip = try value(.logitClip, \.logitClip)
        constraint = try choice(.constraint, \.constraint)
        maskedTraining = try value(.maskedTraining, \.maskedTraining)
        initializationRange = try value(.initializationRange, \.initializationRange)
        do {
            try validate()
        } catch let error as ConfigError {
            throw error.prefixed(by: decoder.codingPath)
        }
    }
}

extension PointerNetworkConfig {
    /// The embedding size in effect: `embeddingSize ?? hiddenSize`.
    public var effectiveEmbeddingSize: Int { embeddingSize ?? hiddenSize }
    /// The attention size in effect: `attentionSize ?? hiddenSize`.
    public var effectiveAttentionSize: Int { attentionSize ?? hiddenSize }
}
