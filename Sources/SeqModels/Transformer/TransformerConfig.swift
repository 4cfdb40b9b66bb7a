import SeqNN

/// The sizes and choices of a Transformer, shared by `TransformerSeq2Seq` (encoder–decoder) and
/// `TransformerLM` (decoder only).
///
/// Every field has a default, so a config file may name only what it changes; an unknown key
/// or a contradiction is a `ConfigError` naming the key (see `validate()`). The defaults are
/// a Transformer-base (Vaswani and others, 2017) with the modern choices of pre-norm and rotary
/// positions, shared source/target embeddings tied to the output projection, and the ids of
/// SeqText's SentencePiece defaults.
///
/// Hugging Face / fairseq spellings are given in each field's comment.
///
/// ```json
/// {"modelSize": 256, "headCount": 4, "feedForwardSize": 1024, "positions": "sinusoidal"}
/// ```
public struct TransformerConfig: Codable, Sendable, Equatable {
    /// Where each sub-layer's normalisation sits relative to its residual connection.
    public enum NormalizationPosition: String, Codable, Sendable, CaseIterable {
        /// `x + f(norm(x))`, with a final norm after the last layer (GPT-2, T5, LLaMA); trains
        /// stably without warm-up tricks.
        case pre
        /// `norm(x + f(x))`, as in the original Transformer and fairseq's default.
        case post
    }

    /// Which normalisation layer the blocks use.
    public enum Normalization: String, Codable, Sendable, CaseIterable {
        /// `LayerNorm` (with a shift when `bias` is on).
        case layerNorm
        /// `RMSNorm` (T5, LLaMA).
        case rmsNorm
    }

    /// How token positions enter the model.
    public enum PositionEncoding: String, Codable, Sendable, CaseIterable {
        /// Rotary positions (RoPE) on the queries and keys of every self attention; none in
        /// cross attention and nothing added to the embeddings.
        case rotary
        /// The fixed sine/cosine signal of Vaswani and others (interleaved layout), added to
        /// the embeddings.
        case sinusoidal
        /// One learned vector per position up to `maxPositions`, added to the embeddings.
        case learned
        /// T5's bucketed relative position biases (`RelativePositionBias`): each stack learns
        /// one scalar per head and distance bucket, added to the self-attention scores of all
        /// its layers (bidirectional buckets in the encoder, causal ones in the decoder);
        /// nothing is added to the embeddings and cross attention has none.
        case relative
    }

    /// The size of the target vocabulary, also the source's unless `sourceVocabularySize`
    /// is set.
    ///
    /// `vocab_size`; default 8000.
    public var vocabularySize = 8000
    /// The size of a separate source vocabulary, or `nil` for the same as `vocabularySize`.
    ///
    /// Must be `nil` or equal with `sharedEmbeddings`; `TransformerLM` ignores it. Default
    /// `nil`.
    public var sourceVocabularySize: Int? = nil
    /// The size of every token vector.
    ///
    /// `d_model`; default 512.
    public var modelSize = 512
    /// The number of attention heads; divides `modelSize`.
    ///
    /// `num_heads`; default 8.
    public var headCount = 8
    /// The number of key/value heads for grouped-query attention; divides `headCount`.
    ///
    /// `num_key_value_heads`; default `nil`, one per query head.
    public var keyValueHeadCount: Int? = nil
    /// The number of encoder layers; `TransformerLM` ignores it.
    ///
    /// `encoder_layers`; default 6.
    public var encoderLayerCount = 6
    /// The number of decoder layers, also the layers of `TransformerLM`.
    ///
    /// `decoder_layers`; default 6.
    public var decoderLayerCount = 6
    /// The hidden size of each feed-forward block.
    ///
    /// `ffn_dim`, `d_ff`; default 2048.
    public var feedForwardSize = 2048
    /// The feed-forward non-linearity: `relu` (default), `gelu`, `geluTanh`, `silu`, `swiGLU`
    /// or `gatedGeluTanh`.
    public var activation: FeedForward.Activation = .relu
    /// Pre-norm (default) or post-norm residual blocks (fairseq's `normalize_before`).
    public var normalizationPosition: NormalizationPosition = .pre
    /// `layerNorm` (default) or `rmsNorm`.
    public var normalization: Normalization = .layerNorm
    /// The `ε` of every norm, or `nil` for the default of `normalization`.
    ///
    /// `nil` (default) means `1e-5` for `layerNorm` and `1e-6` for `rmsNorm`.
    public var normalizationEpsilon: Float? = nil
    /// How positions are encoded: `rotary` (default), `sinusoidal`, `learned` or `relative`.
    public var positions: PositionEncoding = .rotary
    /// The number of positions with a learned vector, for `learned` positions only.
    ///
    /// It limits every sequence, decoded ones included. `max_position_embeddings`; default
    /// 1024.
    public var maxPositions = 1024
    /// The base of the rotary frequencies.
    ///
    /// `rope_theta`; default 10000.
    public var rotaryBase: Float = 10_000
    /// Where `sinusoidal` positions put each frequency's sine and cosine: `interleaved`
    /// (default; the paper) or `halves` (all sines, then all cosines: fairseq, Marian).
    public var sinusoidalLayout: SinusoidalPositionalEncoding.Layout = .interleaved
    /// The number of distance buckets of `relative` positions; even, at least 4.
    ///
    /// `relative_attention_num_buckets`; default 32.
    public var relativeAttentionBuckets = 32
    /// The distance from which `relative` positions share the last bucket; more than half
    /// of `relativeAttentionBuckets`.
    ///
    /// `relative_attention_max_distance`; default 128.
    public var relativeAttentionMaxDistance = 128
    /// The factor on the query–key dot products, or `nil` for `1/√headSize`.
    ///
    /// T5 uses 1 (its initialisation absorbs the scale). Default `nil`.
    public var attentionScale: Float? = nil
    /// The factor on the decoder output before the output projection.
    ///
    /// T5 with tied embeddings uses `modelSize^-1/2`. Default 1.
    public var outputScale: Float = 1
    /// Whether a learned bias is added to the logits (`final_logits_bias` of Marian and BART).
    ///
    /// Default `false`.
    public var finalLogitsBias = false
    /// Whether each stack normalises its embedded input (token vectors plus positions) before
    /// the first block (`layernorm_embedding` of BART and mBART).
    ///
    /// Default `false`.
    public var embeddingNorm = false
    /// Whether source and target share one embedding table; needs one vocabulary.
    ///
    /// fairseq's `share_all_embeddings`; default `true`.
    public var sharedEmbeddings = true
    /// Whether the output projection is the target embedding table, transposed.
    ///
    /// `share_decoder_input_output_embed`, `tie_word_embeddings`; default `true`.
    public var tiedOutputProjection = true
    /// Dropout on the embeddings and on each residual branch.
    ///
    /// `dropout`; default 0.1.
    public var dropout: Float = 0.1
    /// Dropout on the attention weights.
    ///
    /// `attention_dropout`; default 0.
    public var attentionDropout: Float = 0
    /// Dropout on the feed-forward hidden activations.
    ///
    /// `activation_dropout`; default 0.
    public var activationDropout: Float = 0
    /// The factor the token embeddings are multiplied by, or `nil` for `√modelSize`.
    ///
    /// `nil` (default) scales as Vaswani and others and fairseq do; `1` turns scaling off
    /// (GPT-2, T5).
    public var embeddingScale: Float? = nil
    /// Whether projections and layer norms have biases; the output projection never has one.
    ///
    /// Default `true`.
    public var bias = true
    /// The padding id, whose embedding starts at zero.
    ///
    /// `pad_token_id`; default 0.
    public var padID: Int32 = 0
    /// The id every output starts with.
    ///
    /// `decoder_start_token_id`, `bos`; default 1.
    public var startID: Int32 = 1
    /// The id that ends an output.
    ///
    /// `eos_token_id`; default 2.
    public var endID: Int32 = 2
    /// For `TransformerLM`, an id placed between source and target, or `nil` for none.
    ///
    /// Without a separator the target's leading `startID` marks the boundary. Default `nil`.
    public var separatorID: Int32? = nil
    /// For `TransformerLM`, whether the source prefix attends bidirectionally when decoding.
    ///
    /// A prefix LM, as in T5's and UniLM's experiments, instead of causal attention
    /// throughout. Train with `prefixLengths` when this is on. Default `false`.
    public var bidirectionalPrefix = false

    /// A config with every default.
    public init() {}

    /// The keys a config file may use: the property names.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case vocabularySize, sourceVocabularySize, modelSize, headCount, keyValueHeadCount
        case encoderLayerCount, decoderLayerCount, feedForwardSize, activation
        case normalizationPosition, normalization, normalizationEpsilon, positions, maxPositions
        case rotaryBase, sharedEmbeddings, tiedOutputProjection, dropout, attentionDropout
        case activationDropout, embeddingScale, bias, padID, startID, endID, separatorID
        case bidirectionalPrefix, sinusoidalLayout, relativeAttentionBuckets
        case relativeAttentionMaxDistance, attentionScale, outputScale, finalLogitsBias
        case embeddingNorm
    }

    /// Decodes a config in which every key is optional, then validates it.
    ///
    /// - Throws: `ConfigError` naming the key: unknown keys, values of the wrong type, and
    ///   every contradiction `validate()` finds. Keys of a nested config carry its path.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let defaults = TransformerConfig()
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
        vocabularySize = try value(.vocabularySize, \.vocabularySize)
        sourceVocabularySize = try value(.sourceVocabularySize, \.sourceVocabularySize)
        modelSize = try value(.modelSize, \.modelSize)
        headCount = try value(.headCount, \.headCount)
        keyValueHeadCount = try value(.keyValueHeadCount, \.keyValueHeadCount)
        encoderLayerCount = try value(.encoderLayerCount, \.encoderLayerCount)
        decoderLayerCount = try value(.decoderLayerCount, \.decoderLayerCount)
        feedForwardSize = try value(.feedForwardSize, \.feedForwardSize)
        activation = try choice(.activation, \.activation)
        normalizationPosition = try choice(.normalizationPosition, \.normalizationPosition)
        normalization = try choice(.normalization, \.normalization)
        normalizationEpsilon = try value(.normalizationEpsilon, \.normalizationEpsilon)
        positions = try choice(.positions, \.positions)
        maxPositions = try value(.maxPositions, \.maxPositions)
        rotaryBase = try value(.rotaryBase, \.rotaryBase)
        sharedEmbeddings = try value(.sharedEmbeddings, \.sharedEmbeddings)
        tiedOutputProjection = try value(.tiedOutputProjection, \.tiedOutputProjection)
        dropout = try value(.dropout, \.dropout)
        attentionDropout = try value(.attentionDropout, \.attentionDropout)
        activationDropout = try value(.activationDropout, \.activationDropout)
        embeddingScale = try value(.embeddingScale, \.embeddingScale)
        bias = try value(.bias, \.bias)
        padID = try value(.padID, \.padID)
        startID = try value(.startID, \.startID)
        endID = try value(.endID, \.endID)
        separatorID = try value(.separatorID, \.separatorID)
        bidirectionalPrefix = try value(.bidirectionalPrefix, \.bidirectionalPrefix)
        sinusoidalLayout = try choice(.sinusoidalLayout, \.sinusoidalLayout)
        relativeAttentionBuckets = try value(
            .relativeAttentionBuckets, \.relativeAttentionBuckets)
        relativeAttentionMaxDistance = try value(
            .relativeAttentionMaxDistance, \.relativeAttentionMaxDistance)
        attentionScale = try value(.attentionScale, \.attentionScale)
        outputScale = try value(.outputScale, \.outputScale)
        finalLogitsBias = try value(.finalLogitsBias, \.finalLogitsBias)
        embeddingNorm = try value(.embeddingNorm, \.embeddingNorm)
        do {
            try validate()
        } catch let error as ConfigError {
            throw error.prefixed(by: decoder.codingPath)
        }
    }
}

extension TransformerConfig {
    /// The size of each attention head, `modelSize / headCount`.
    public var headSize: Int { modelSize / headCount }
    /// The source vocabulary size in effect: `sourceVocabularySize ?? vocabularySize`.
    public var effectiveSourceVocabularySize: Int { sourceVocabularySize ?? vocabularySize }
    /// The embedding factor in effect: `embeddingScale ?? √modelSize`.
    public var effectiveEmbeddingScale: Float {
        embeddingScale ?? Float(modelSize).squareRoot()
    }
    /// The norm `ε` in effect: `normalizationEpsilon`, or the default of `normalization`.
    public var effectiveNormalizationEpsilon: Float {
        normalizationEpsilon ?? (normalization == .layerNorm ? 1e-5 : 1e-6)
    }
}
