import Foundation
import SeqModels
import SeqText

/// BART models (`BartForConditionalGeneration`, `model_type` `bart`).
///
/// Post-norm blocks with biases, learned positions offset by 2 (the first two rows of the
/// stored table are never used, so they are dropped), a norm on the embedded input of each
/// stack (`layernorm_embedding`), a logits bias, and one embedding table for both stacks and
/// the output projection. The tokenizer is `ByteLevelBPETokenizer` over `vocab.json` and
/// `merges.txt`.
enum BART: HuggingFaceFamily {
    static let architecture = "BartForConditionalGeneration"

    static func modelConfig(
        from config: HuggingFaceConfig, generation: HuggingFaceGeneration
    ) throws -> TransformerConfig {
        try bartConfig(from: config, generation: generation, preNorm: false)
    }

    static func nameMap(for model: TransformerConfig, config: HuggingFaceConfig) throws -> NameMap {
        bartNameMap(for: model, finalNorms: false)
    }

    static func tokenizer(in directory: URL, vocabularySize: Int) throws -> ImportedTokenizer {
        let settingsURL = directory.appendingPathComponent("tokenizer_config.json")
        if FileManager.default.fileExists(atPath: settingsURL.path) {
            let settings = try HuggingFaceConfig(contentsOf: settingsURL)
            if try settings.bool("add_prefix_space") == true {
                throw settings.unsupported("`add_prefix_space` = true is not supported")
            }
        }
        let names = [ByteLevelBPETokenizer.vocabularyFile, ByteLevelBPETokenizer.mergesFile]
        var files: [String: Data] = [:]
        for name in names { files[name] = try tokenizerFile(name, in: directory) }
        let tokenizer: ByteLevelBPETokenizer
        do {
            tokenizer = try ByteLevelBPETokenizer(
                vocabulary: files[names[0]] ?? Data(), merges: files[names[1]] ?? Data())
        } catch let error as TokenizerError {
            throw InteropError(
                kind: .invalidFile, file: directory.appendingPathComponent(error.file ?? "").path,
                detail: error.detail)
        }
        guard tokenizer.vocabularySize <= vocabularySize else {
            throw InteropError(
                kind: .invalidFile, file: directory.appendingPathComponent(names[0]).path,
                detail: "has ids up to \(tokenizer.vocabularySize - 1), beyond the model's "
                    + "vocabulary of \(vocabularySize)")
        }
        return ImportedTokenizer(
            format: .byteLevelBPE, mainFile: names[0], files: files, extraIDs: nil)
    }
}

/// mBART models (`MBartForConditionalGeneration`, `model_type` `mbart`): BART with pre-norm
/// blocks and a final norm after each stack (`layer_norm`).
///
/// The tokenizer is `MBartTokenizer` over `sentencepiece.bpe.model` (Hugging Face's
/// `MBartTokenizer`; `MBart50Tokenizer`, whose sources start with the language code, is
/// refused); the default source language is `tokenizer_config.json`'s `src_lang`, else
/// `en_XX`.
enum MBART: HuggingFaceFamily {
    static let architecture = "MBartForConditionalGeneration"

    static func modelConfig(
        from config: HuggingFaceConfig, generation: HuggingFaceGeneration
    ) throws -> TransformerConfig {
        try bartConfig(from: config, generation: generation, preNorm: true)
    }

    static func nameMap(for model: TransformerConfig, config: HuggingFaceConfig) throws -> NameMap {
        bartNameMap(for: model, finalNorms: true)
    }

    static func tokenizer(in directory: URL, vocabularySize: Int) throws -> ImportedTokenizer {
        var sourceLanguage = "en_XX"
        let settingsURL = directory.appendingPathComponent("tokenizer_config.json")
        if FileManager.default.fileExists(atPath: settingsURL.path) {
            let settings = try HuggingFaceConfig(contentsOf: settingsURL)
            if let kind = try settings.string("tokenizer_class"),
                !["MBartTokenizer", "MBartTokenizerFast"].contains(kind)
            {
                throw settings.unsupported(
                    "`tokenizer_class` = \"\(kind)\" is not supported; supported: MBartTokenizer")
            }
            if let code = try settings.string("src_lang") {
                guard MBartTokenizer.languageCodes.contains(code) else {
                    throw settings.unsupported(
                        "`src_lang` = \"\(code)\" is not one of mBART's language codes")
                }
                sourceLanguage = code
            }
        }
        let name = MBartTokenizer.modelFile
        let data = try tokenizerFile(name, in: directory)
        let model: SentencePieceTokenizer
        do {
            model = try SentencePieceTokenizer(serialized: data)
        } catch let error as TokenizerError {
            throw InteropError(
                kind: .invalidFile, file: directory.appendingPathComponent(name).path,
                detail: error.detail)
        }
        let needed = model.vocabularySize + MBartTokenizer.languageCodes.count + 2
        guard needed <= vocabularySize else {
            throw InteropError(
                kind: .invalidFile, file: directory.appendingPathComponent(name).path,
                detail: "\(model.vocabularySize) pieces need \(needed) ids with fairseq's offset, "
                    + "the language codes and <mask>, beyond the model's vocabulary of "
                    + "\(vocabularySize)")
        }
        return ImportedTokenizer(
            format: .mbart, mainFile: name, files: [name: data], extraIDs: nil,
            sourceLanguage: sourceLanguage)
    }
}

/// The native config of a BART or mBART checkpoint; defaults are `BartConfig`'s.
private func bartConfig(
    from config: HuggingFaceConfig, generation: HuggingFaceGeneration, preNorm: Bool
) throws -> TransformerConfig {
    var model = TransformerConfig()
    model.vocabularySize = try config.int("vocab_size", default: 50_265)
    model.modelSize = try config.int("d_model", default: 1024)
    model.headCount = try config.same(
        "encoder_attention_heads", "decoder_attention_heads", default: 16)
    model.feedForwardSize = try config.same("encoder_ffn_dim", "decoder_ffn_dim", default: 4096)
    model.encoderLayerCount = try config.int("encoder_layers", default: 12)
    model.decoderLayerCount = try config.int("decoder_layers", default: 12)
    model.activation = try config.activation("activation_function", default: "gelu")
    model.normalizationPosition = preNorm ? .pre : .post
    model.normalization = .layerNorm
    model.normalizationEpsilon = 1e-5
    model.positions = .learned
    model.maxPositions = try config.int("max_position_embeddings", default: 1024)
    model.embeddingNorm = true
    model.embeddingScale = (try config.bool("scale_embedding") ?? false) ? nil : 1
    model.finalLogitsBias = true
    model.sharedEmbeddings = true
    model.tiedOutputProjection = true
    if try config.bool("tie_word_embeddings") == false {
        throw config.unsupported("`tie_word_embeddings` = false is not supported for BART")
    }
    model.dropout = Float(try config.double("dropout") ?? 0.1)
    model.attentionDropout = Float(try config.double("attention_dropout") ?? 0)
    model.activationDropout = Float(try config.double("activation_dropout") ?? 0)
    model.padID = generation.padID
    model.startID = generation.startID
    model.endID = generation.endID
    return model
}

/// The name table of BART (`finalNorms: false`) or mBART (`true`).
private func bartNameMap(for model: TransformerConfig, finalNorms: Bool) -> NameMap {
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
    var stackModules: [(source: String, path: String)] = [("layernorm_embedding", "embeddingNorm")]
    if finalNorms { stackModules.append(("layer_norm", "finalNorm")) }
    mappings += NameMaps.modules(
        stackModules, sourcePrefix: "model.encoder.", pathPrefix: "encoder.",
        parameters: parameters)
    mappings += NameMaps.modules(
        stackModules, sourcePrefix: "model.decoder.", pathPrefix: "decoder.",
        parameters: parameters)
    mappings += [
        TensorMapping(source: "model.shared.weight", path: "targetEmbedding.weight"),
        TensorMapping(
            source: "model.encoder.embed_positions.weight", path: "sourcePositions.weight",
            transform: .droppingLeadingRows(2)),
        TensorMapping(
            source: "model.decoder.embed_positions.weight", path: "targetPositions.weight",
            transform: .droppingLeadingRows(2)),
        TensorMapping(source: "final_logits_bias", path: "finalLogitsBias", transform: .flattened),
    ]
    return NameMap(
        mappings: mappings,
        ignored: [
            "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight",
            "lm_head.weight",
        ])
}
