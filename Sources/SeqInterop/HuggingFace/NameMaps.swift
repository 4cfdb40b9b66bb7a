import SeqTensor

/// How one Hugging Face tensor becomes one native parameter.
public struct TensorMapping: Sendable, Equatable {
    /// A change of layout on the way.
    public enum Transform: Sendable, Equatable {
        /// The tensor as stored.
        case identity
        /// Reshaped to one axis (`final_logits_bias`, stored `[1, V]`).
        case flattened
        /// Without its first rows along axis 0 (BART's position table, whose first two rows
        /// are never used because positions are offset by 2).
        case droppingLeadingRows(Int)
    }

    /// The Hugging Face tensor name, such as `model.encoder.layers.0.fc1.weight`.
    public var source: String
    /// The native parameter path, such as `encoder.layers.0.feedForward.up.weight`.
    public var path: String
    /// The change of layout.
    public var transform: Transform

    /// Creates a mapping.
    public init(source: String, path: String, transform: Transform = .identity) {
        self.source = source
        self.path = path
        self.transform = transform
    }
}

/// The tensors of one Hugging Face checkpoint mapped to the parameters of the native model.
///
/// Tied weights are stored once: the native model has one parameter for each group of tied
/// Hugging Face tensors, and the other names of the group are `ignored` when a checkpoint holds
/// them. So are tensors the native model derives instead of storing (sinusoidal tables).
public struct NameMap: Sendable {
    /// One entry per native parameter.
    public var mappings: [TensorMapping]
    /// Names that may appear in a checkpoint and are not loaded.
    public var ignored: Set<String>

    /// Creates a map.
    public init(mappings: [TensorMapping], ignored: Set<String> = []) {
        self.mappings = mappings
        self.ignored = ignored
    }

    /// The native parameters for the Hugging Face `tensors`.
    ///
    /// - Throws: `InteropError` naming `file` and the tensor: `.missingTensor` for a mapped
    ///   name `tensors` lacks (the first in sorted order), `.unexpectedTensor` for a name that
    ///   is neither mapped nor ignored.
    public func apply(to tensors: [String: Tensor], file: String) throws -> [String: Tensor] {
        let missing = mappings.map(\.source).filter { tensors[$0] == nil }.sorted()
        if let first = missing.first {
            let more = missing.count > 1 ? " (and \(missing.count - 1) more)" : ""
            throw InteropError(
                kind: .missingTensor, file: file, detail: "missing tensor `\(first)`\(more)")
        }
        let known = Set(mappings.map(\.source)).union(ignored)
        if let unexpected = tensors.keys.filter({ !known.contains($0) }).sorted().first {
            throw InteropError(
                kind: .unexpectedTensor, file: file,
                detail: "unexpected tensor `\(unexpected)` for this architecture")
        }
        var native: [String: Tensor] = [:]
        for mapping in mappings {
            guard let tensor = tensors[mapping.source] else { continue }
            switch mapping.transform {
            case .identity: native[mapping.path] = tensor
            case .flattened: native[mapping.path] = tensor.reshaped([tensor.shape.reduce(1, *)])
            case .droppingLeadingRows(let count):
                guard tensor.rank >= 1, tensor.shape[0] > count else {
                    throw InteropError(
                        kind: .shapeMismatch, file: file,
                        detail: "`\(mapping.source)` is \(tensor.shape), expected more than "
                            + "\(count) rows")
                }
                native[mapping.path] = tensor.sliced(axis: 0, count..<tensor.shape[0])
            }
        }
        return native
    }
}

/// The explicit name tables of each supported family.
///
/// Each table lists, per block, the Hugging Face module name and the native module path; the
/// parameters under them (`weight`, and `bias` where the family has biases) map one to one.
enum NameMaps {
    /// Marian and BART blocks (BART's layout, which Marian inherits): encoder block modules.
    static let bartEncoderBlock: [(source: String, path: String)] = [
        ("self_attn.q_proj", "selfAttention.query"), ("self_attn.k_proj", "selfAttention.key"),
        ("self_attn.v_proj", "selfAttention.value"), ("self_attn.out_proj", "selfAttention.output"),
        ("self_attn_layer_norm", "selfAttentionNorm"), ("fc1", "feedForward.up"),
        ("fc2", "feedForward.down"), ("final_layer_norm", "feedForwardNorm"),
    ]

    /// Marian and BART decoder block modules: the encoder's plus cross attention.
    static let bartDecoderBlock: [(source: String, path: String)] =
        bartEncoderBlock + [
            ("encoder_attn.q_proj", "crossAttention.query"),
            ("encoder_attn.k_proj", "crossAttention.key"),
            ("encoder_attn.v_proj", "crossAttention.value"),
            ("encoder_attn.out_proj", "crossAttention.output"),
            ("encoder_attn_layer_norm", "crossAttentionNorm"),
        ]

    /// T5 encoder block modules; `DenseReluDense` is filled in by `t5FeedForward`.
    static let t5EncoderBlock: [(source: String, path: String)] = [
        ("layer.0.SelfAttention.q", "selfAttention.query"),
        ("layer.0.SelfAttention.k", "selfAttention.key"),
        ("layer.0.SelfAttention.v", "selfAttention.value"),
        ("layer.0.SelfAttention.o", "selfAttention.output"),
        ("layer.0.layer_norm", "selfAttentionNorm"), ("layer.1.layer_norm", "feedForwardNorm"),
    ]

    /// T5 decoder block modules; the feed-forward block is `layer.2`.
    static let t5DecoderBlock: [(source: String, path: String)] = [
        ("layer.0.SelfAttention.q", "selfAttention.query"),
        ("layer.0.SelfAttention.k", "selfAttention.key"),
        ("layer.0.SelfAttention.v", "selfAttention.value"),
        ("layer.0.SelfAttention.o", "selfAttention.output"),
        ("layer.0.layer_norm", "selfAttentionNorm"),
        ("layer.1.EncDecAttention.q", "crossAttention.query"),
        ("layer.1.EncDecAttention.k", "crossAttention.key"),
        ("layer.1.EncDecAttention.v", "crossAttention.value"),
        ("layer.1.EncDecAttention.o", "crossAttention.output"),
        ("layer.1.layer_norm", "crossAttentionNorm"), ("layer.2.layer_norm", "feedForwardNorm"),
    ]

    /// T5 feed-forward modules under `DenseReluDense`: `wi`, or `wi_0` (gate) and `wi_1` for
    /// gated activations, then `wo`.
    static func t5FeedForward(gated: Bool) -> [(source: String, path: String)] {
        (gated
            ? [("wi_0", "feedForward.gate"), ("wi_1", "feedForward.up")]
            : [("wi", "feedForward.up")])
            + [("wo", "feedForward.down")]
    }

    /// `count` blocks of `table` under `sourcePrefix.i.` and `pathPrefix.i.`, each module with
    /// the parameters `parameters`.
    static func blocks(
        _ table: [(source: String, path: String)], count: Int, sourcePrefix: String,
        pathPrefix: String, parameters: [String]
    ) -> [TensorMapping] {
        (0..<count).flatMap { index in
            modules(
                table, sourcePrefix: "\(sourcePrefix).\(index).",
                pathPrefix: "\(pathPrefix).\(index).", parameters: parameters)
        }
    }

    /// The modules of `table` with prefixes, each with the parameters `parameters`.
    static func modules(
        _ table: [(source: String, path: String)], sourcePrefix: String, pathPrefix: String,
        parameters: [String]
    ) -> [TensorMapping] {
        table.flatMap { module in
            parameters.map {
                TensorMapping(
                    source: "\(sourcePrefix)\(module.source).\($0)",
                    path: "\(pathPrefix)\(module.path).\($0)")
            }
        }
    }
}
