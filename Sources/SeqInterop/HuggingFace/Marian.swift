import Foundation
import SeqModels
import SeqText

/// Marian translation models (`MarianMTModel`, `model_type` `marian`: OPUS-MT and friends).
///
/// Post-norm blocks with biases, sinusoidal positions with all sines before all cosines,
/// token embeddings scaled by `√d_model` when `scale_embedding`, a logits bias, and one shared
/// embedding table (or separate source and target tables when
/// `share_encoder_decoder_embeddings` is false). The tokenizer is `MarianTokenizer` over
/// `source.spm`, `target.spm` and `vocab.json`.
enum Marian: HuggingFaceFamily {
    static let architecture = "MarianMTModel"

    static func modelConfig(
        from config: HuggingFaceConfig, generation: HuggingFaceGeneration
    ) throws -> TransformerConfig {
        // Defaults are MarianConfig's (transformers 4.46).
        var model = TransformerConfig()
        let vocabularySize = try config.int("vocab_size", default: 58_101)
        let shared = try config.bool("share_encoder_decoder_embeddings") ?? true
        model.vocabularySize = try config.int("decoder_vocab_size", default: vocabularySize)
        if shared {
            guard model.vocabularySize == vocabularySize else {
                throw config.unsupported(
                    "`decoder_vocab_size` = \(model.vocabularySize) differs from `vocab_size` = "
                        + "\(vocabularySize) with shared embeddings")
            }
        } else {
            model.sourceVocabularySize = vocabularySize
        }
        model.sharedEmbeddings = shared
        model.tiedOutputProjection = try config.bool("tie_word_embeddings") ?? true
        model.modelSize = try config.int("d_model", default: 1024)
        model.headCount = try config.same(
            "encoder_attention_heads", "decoder_attention_heads", default: 16)
        model.feedForwardSize = try config.same("encoder_ffn_dim", "decoder_ffn_dim", default: 4096)
        model.encoderLayerCount = try config.int("encoder_layers", default: 12)
        model.decoderLayerCount = try config.int("decoder_layers", default: 12)
        model.activation = try config.activation("activation_function", default: "gelu")
        model.normalizationPosition = .post
        model.normalization = .layerNorm
        model.normalizationEpsilon = 1e-5
        model.positions = .sinusoidal
        model.sinusoidalLayout = .halves
        model.embeddingScale = try config.bool("scale_embedding") ?? false ? nil : 1
        model.finalLogitsBias = true
        model.bias = true
        model.dropout = Float(try config.double("dropout") ?? 0.1)
        model.attentionDropout = Float(try config.double("attention_dropout") ?? 0)
        model.activationDropout = Float(try config.double("activation_dropout") ?? 0)
        model.padID = generation.padID
        model.startID = generation.startID
        model.endID = generation.endID
        return model
    }

    static func nameMap(for model: TransformerConfig, config: HuggingFaceConfig) throws -> NameMap {
        let parameters = ["weight", "bias"]
        var mappings =
            NameMaps.blocks(
                NameMaps.bartEncoderBlock, count: model.encoderLayerCount,
                sourcePrefix: "model.encoder.layers", pathPrefix: "encoder.layers",
                parameters: parameters)
            + NameMaps.blocks(
                NameMaps.bartDecoderBlock, count: model.decoderLayerCount,
                sourcePrefix: "model.decoder.layers", pathPrefix: "decoder.layers",
                parameters: parameters)
        mappings.append(
            TensorMapping(
                source: "final_logits_bias", path: "finalLogitsBias", transform: .flattened))
        // The sinusoidal tables are computed, never loaded.
        var ignored: Set = [
            "model.encoder.embed_positions.weight", "model.decoder.embed_positions.weight",
        ]
        if model.sharedEmbeddings {
            mappings.append(
                TensorMapping(source: "model.shared.weight", path: "targetEmbedding.weight"))
            ignored.formUnion([
                "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight",
            ])
        } else {
            mappings.append(
                TensorMapping(
                    source: "model.encoder.embed_tokens.weight", path: "sourceEmbedding.weight"))
            mappings.append(
                TensorMapping(
                    source: "model.decoder.embed_tokens.weight", path: "targetEmbedding.weight"))
        }
        if model.tiedOutputProjection {
            ignored.insert("lm_head.weight")
        } else {
            mappings.append(
                TensorMapping(source: "lm_head.weight", path: "outputProjection.weight"))
        }
        return NameMap(mappings: mappings, ignored: ignored)
    }

    static func tokenizer(in directory: URL, vocabularySize: Int) throws -> ImportedTokenizer {
        let settingsURL = directory.appendingPathComponent("tokenizer_config.json")
        if FileManager.default.fileExists(atPath: settingsURL.path) {
            let settings = try HuggingFaceConfig(contentsOf: settingsURL)
            if try settings.bool("separate_vocabs") == true {
                throw settings.unsupported(
                    "`separate_vocabs` = true (a target_vocab.json) is not supported")
            }
        }
        var files: [String: Data] = [:]
        for name in [
            MarianTokenizer.sourceFile, MarianTokenizer.targetFile, MarianTokenizer.vocabularyFile,
        ] {
            files[name] = try tokenizerFile(name, in: directory)
        }
        let tokenizer: MarianTokenizer
        do {
            tokenizer = try MarianTokenizer(
                source: files[MarianTokenizer.sourceFile] ?? Data(),
                target: files[MarianTokenizer.targetFile] ?? Data(),
                vocabulary: files[MarianTokenizer.vocabularyFile] ?? Data())
        } catch let error as TokenizerError {
            throw InteropError(
                kind: .invalidFile, file: directory.appendingPathComponent(error.file ?? "").path,
                detail: error.detail)
        }
        guard tokenizer.vocabularySize <= vocabularySize else {
            throw InteropError(
                kind: .invalidFile,
                file: directory.appendingPathComponent(MarianTokenizer.vocabularyFile).path,
                detail: "has ids up to \(tokenizer.vocabularySize - 1), beyond the model's "
                    + "vocabulary of \(vocabularySize)")
        }
        return ImportedTokenizer(
            format: .marian, mainFile: MarianTokenizer.sourceFile, files: files, extraIDs: nil)
    }
}
