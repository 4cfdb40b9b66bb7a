import Foundation
import SeqModels
import SeqNN
import SeqText

/// T5 models (`T5ForConditionalGeneration`, `model_type` `t5`): the original layout and
/// v1.1 (gated GELU, untied output projection).
///
/// Pre-norm blocks with RMS norms and no biases, unscaled attention, bucketed relative position
/// biases learned by the first block of each stack and shared by all its blocks, and one
/// embedding table for both stacks. With tied embeddings the decoder output is multiplied by
/// `d_model^-1/2` before the projection. The tokenizer is `T5Tokenizer` over `spiece.model`
/// with `extra_ids` sentinels.
enum T5: HuggingFaceFamily {
    static let architecture = "T5ForConditionalGeneration"

    static func modelConfig(
        from config: HuggingFaceConfig, generation: HuggingFaceGeneration
    ) throws -> TransformerConfig {
        // Defaults are T5Config's (transformers 4.46).
        var model = TransformerConfig()
        model.vocabularySize = try config.int("vocab_size", default: 32_128)
        model.modelSize = try config.int("d_model", default: 512)
        model.headCount = try config.int("num_heads", default: 8)
        let headSize = try config.int("d_kv", default: 64)
        guard headSize * model.headCount == model.modelSize else {
            throw config.unsupported(
                "`d_kv` × `num_heads` = \(headSize) × \(model.headCount) differs from `d_model` "
                    + "= \(model.modelSize); attention must project to the model size")
        }
        model.feedForwardSize = try config.int("d_ff", default: 2048)
        model.encoderLayerCount = try config.int("num_layers", default: 6)
        model.decoderLayerCount = try config.int(
            "num_decoder_layers", default: model.encoderLayerCount)
        model.activation = try feedForwardActivation(config)
        model.normalizationPosition = .pre
        model.normalization = .rmsNorm
        model.normalizationEpsilon = Float(try config.double("layer_norm_epsilon") ?? 1e-6)
        model.positions = .relative
        model.relativeAttentionBuckets = try config.int(
            "relative_attention_num_buckets", default: 32)
        model.relativeAttentionMaxDistance = try config.int(
            "relative_attention_max_distance", default: 128)
        model.attentionScale = 1
        model.embeddingScale = 1
        model.bias = false
        model.sharedEmbeddings = true
        model.tiedOutputProjection = try config.bool("tie_word_embeddings") ?? true
        if model.tiedOutputProjection {
            model.outputScale = 1 / Float(model.modelSize).squareRoot()
        }
        let dropout = Float(try config.double("dropout_rate") ?? 0.1)
        model.dropout = dropout
        model.activationDropout = dropout
        model.padID = generation.padID
        model.startID = generation.startID
        model.endID = generation.endID
        return model
    }

    /// The activation named by `feed_forward_proj` (`relu`, `gated-gelu`, `gated-silu`, …),
    /// resolved as `T5Config` does.
    private static func feedForwardActivation(
        _ config: HuggingFaceConfig
    ) throws -> FeedForward.Activation {
        let projection = try config.string("feed_forward_proj") ?? "relu"
        let parts = projection.split(separator: "-").map(String.init)
        let gated = parts.count == 2 && parts[0] == "gated"
        guard parts.count == 1 || gated, var name = parts.last else {
            throw config.unsupported("`feed_forward_proj` = \"\(projection)\" is not valid")
        }
        if projection == "gated-gelu" { name = "gelu_new" }
        switch (gated, name) {
        case (false, "relu"): return .relu
        case (false, "gelu"): return .gelu
        case (false, "gelu_new"): return .geluTanh
        case (false, "silu"), (false, "swish"): return .silu
        case (true, "gelu_new"): return .gatedGeluTanh
        case (true, "silu"), (true, "swish"): return .swiGLU
        default:
            throw config.unsupported(
                "`feed_forward_proj` = \"\(projection)\" is not supported; supported: relu, "
                    + "gelu, gelu_new, silu, gated-gelu, gated-silu")
        }
    }

    static func nameMap(for model: TransformerConfig, config: HuggingFaceConfig) throws -> NameMap {
        let parameters = ["weight"]
        let feedForward = NameMaps.t5FeedForward(gated: model.activation.isGated)
        var mappings =
            NameMaps.blocks(
                NameMaps.t5EncoderBlock, count: model.encoderLayerCount,
                sourcePrefix: "encoder.block", pathPrefix: "encoder.layers",
                parameters: parameters)
            + NameMaps.blocks(
                NameMaps.t5DecoderBlock, count: model.decoderLayerCount,
                sourcePrefix: "decoder.block", pathPrefix: "decoder.layers",
                parameters: parameters)
        for index in 0..<model.encoderLayerCount {
            mappings += NameMaps.modules(
                feedForward, sourcePrefix: "encoder.block.\(index).layer.1.DenseReluDense.",
                pathPrefix: "encoder.layers.\(index).", parameters: parameters)
        }
        for index in 0..<model.decoderLayerCount {
            mappings += NameMaps.modules(
                feedForward, sourcePrefix: "decoder.block.\(index).layer.2.DenseReluDense.",
                pathPrefix: "decoder.layers.\(index).", parameters: parameters)
        }
        mappings += [
            TensorMapping(source: "shared.weight", path: "targetEmbedding.weight"),
            TensorMapping(
                source: "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
                path: "encoder.positionBias.weight"),
            TensorMapping(
                source: "decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
                path: "decoder.positionBias.weight"),
            TensorMapping(
                source: "encoder.final_layer_norm.weight", path: "encoder.finalNorm.weight"),
            TensorMapping(
                source: "decoder.final_layer_norm.weight", path: "decoder.finalNorm.weight"),
        ]
        var ignored: Set = ["encoder.embed_tokens.weight", "decoder.embed_tokens.weight"]
        if model.tiedOutputProjection {
            ignored.insert("lm_head.weight")
        } else {
            mappings.append(
                TensorMapping(source: "lm_head.weight", path: "outputProjection.weight"))
        }
        return NameMap(mappings: mappings, ignored: ignored)
    }

    static func tokenizer(in directory: URL, vocabularySize: Int) throws -> ImportedTokenizer {
        let modelFile = "spiece.model"
        let data = try tokenizerFile(modelFile, in: directory)
        var extraIDs = 100
        let settingsURL = directory.appendingPathComponent("tokenizer_config.json")
        if FileManager.default.fileExists(atPath: settingsURL.path) {
            extraIDs = try HuggingFaceConfig(contentsOf: settingsURL).int("extra_ids") ?? extraIDs
        }
        let pieceCount: Int
        do {
            pieceCount = try SentencePieceTokenizer(serialized: data).vocabularySize
        } catch let error as TokenizerError {
            throw InteropError(
                kind: .invalidFile, file: directory.appendingPathComponent(modelFile).path,
                detail: error.detail)
        }
        guard pieceCount + extraIDs <= vocabularySize else {
            throw InteropError(
                kind: .invalidFile, file: directory.appendingPathComponent(modelFile).path,
                detail: "\(pieceCount) pieces and \(extraIDs) extra ids exceed the model's "
                    + "vocabulary of \(vocabularySize)")
        }
        return ImportedTokenizer(
            format: .t5, mainFile: modelFile, files: [modelFile: data], extraIDs: extraIDs)
    }
}
