import Foundation
import SeqModels
import SeqNN
import SeqTensor
import SeqText
import SeqTrain

/// A Hugging Face encoder–decoder checkpoint folder (as written by `save_pretrained`), read as a
/// native `TransformerSeq2Seq` with its tokenizer and generation defaults.
///
/// Supported `model_type`s: `marian` (`MarianMTModel`), `t5` (`T5ForConditionalGeneration`,
/// original and v1.1), `bart` (`BartForConditionalGeneration`) and `mbart`
/// (`MBartForConditionalGeneration` with `MBartTokenizer`). The
/// folder needs `config.json`, the weights as `model.safetensors` (or shards listed in
/// `model.safetensors.index.json`), the family's tokenizer files, and optionally
/// `generation_config.json`. Anything without a native equivalent is refused with an
/// `InteropError` naming it; so are missing and unexpected tensors.
///
/// ```swift
/// let checkpoint = try HuggingFaceCheckpoint(contentsOf: URL(fileURLWithPath: "opus-mt-en-de"))
/// try checkpoint.write(to: URL(fileURLWithPath: "models/en-de"))  // for `seq2seq translate`
/// let model = try checkpoint.makeModel()                          // or use it directly
/// ```
public struct HuggingFaceCheckpoint {
    /// The model families the importer knows.
    public enum Family: String, Sendable, CaseIterable {
        /// Marian (OPUS-MT).
        case marian
        /// T5 and T5 v1.1.
        case t5
        /// BART.
        case bart
        /// mBART (pre-norm BART with final norms).
        case mbart

        fileprivate var implementation: any HuggingFaceFamily.Type {
            switch self {
            case .marian: Marian.self
            case .t5: T5.self
            case .bart: BART.self
            case .mbart: MBART.self
            }
        }
    }

    /// The checkpoint folder.
    public let directory: URL
    /// The family, from `model_type`.
    public let family: Family
    /// The native config of the model.
    public let config: TransformerConfig
    /// The checkpoint's decoding defaults (`generation_config.json`).
    public let generation: GenerationDefaults
    private let huggingFaceConfig: HuggingFaceConfig

    /// Reads `config.json` and `generation_config.json` of the folder at `directory`.
    ///
    /// - Throws: `InteropError`: `.unsupported` naming an unknown `model_type`, an
    ///   architecture without a language-model head, or a setting without a native
    ///   equivalent; `.invalidFile` naming a missing or malformed file or key.
    public init(contentsOf directory: URL) throws {
        self.directory = directory
        let configURL = directory.appendingPathComponent("config.json")
        let config = try HuggingFaceConfig(contentsOf: configURL)
        let modelType = try config.string("model_type") ?? "(missing)"
        guard let family = Family(rawValue: modelType) else {
            let known = Family.allCases.map(\.rawValue).joined(separator: ", ")
            throw config.unsupported(
                "`model_type` \"\(modelType)\" is not supported; supported: \(known)")
        }
        let implementation = family.implementation
        if let architectures = try config.strings("architectures"), !architectures.isEmpty,
            !architectures.contains(implementation.architecture)
        {
            throw config.unsupported(
                "`architectures` \(architectures) is not supported for `model_type` "
                    + "\"\(modelType)\"; supported: \(implementation.architecture)")
        }
        let generationURL = directory.appendingPathComponent("generation_config.json")
        let generationConfig =
            FileManager.default.fileExists(atPath: generationURL.path)
            ? try HuggingFaceConfig(contentsOf: generationURL) : nil
        let generation = try HuggingFaceGeneration(config: config, generation: generationConfig)
        let model = try implementation.modelConfig(from: config, generation: generation)
        do {
            try model.validate()
        } catch {
            throw config.unsupported("gives an invalid native config: \(error)")
        }
        self.family = family
        self.config = model
        self.generation = generation.defaults
        huggingFaceConfig = config
    }

    /// The table from the checkpoint's tensor names to the native parameter paths.
    ///
    /// - Throws: `InteropError` when the config implies no valid table.
    public func nameMap() throws -> NameMap {
        try family.implementation.nameMap(for: config, config: huggingFaceConfig)
    }

    /// The model with the checkpoint's weights, in evaluation mode.
    ///
    /// - Throws: `InteropError` naming the weights file and the tensor: `.missingTensor`,
    ///   `.unexpectedTensor`, `.shapeMismatch`, or `.invalidFile` for unreadable weights.
    public func makeModel() throws -> TransformerSeq2Seq {
        let (tensors, file) = try readWeights()
        let map = try nameMap()
        let native = try map.apply(to: tensors, file: file)
        var generator = SeededGenerator(seed: 0)
        let model = TransformerSeq2Seq(config: config, using: &generator)
        let sources = Dictionary(
            map.mappings.map { ($0.path, $0.source) }, uniquingKeysWith: { first, _ in first })
        for (path, parameter) in model.namedParameters() {
            guard let tensor = native[path] else {
                throw InteropError(
                    kind: .missingTensor, file: file,
                    detail: "nothing maps to the native parameter `\(path)`")
            }
            guard tensor.shape == parameter.shape else {
                throw InteropError(
                    kind: .shapeMismatch, file: file,
                    detail: "`\(sources[path] ?? path)` is \(tensor.shape), but config.json "
                        + "implies \(parameter.shape)")
            }
        }
        do {
            try model.load(native, from: file)
        } catch {
            throw InteropError(kind: .invalidFile, file: file, detail: "\(error)")
        }
        model.setTraining(false)
        return model
    }

    /// The checkpoint's tokenizer files, as a native model directory stores them.
    func importedTokenizer() throws -> ImportedTokenizer {
        try family.implementation.tokenizer(in: directory, vocabularySize: config.vocabularySize)
    }

    /// The checkpoint's tokenizer: `encode` gives source ids (without the end id), `decode`
    /// reads target ids.
    ///
    /// - Throws: `InteropError` naming a missing, corrupt or unsupported tokenizer file.
    public func makeTokenizer() throws -> any Tokenizer {
        let imported = try importedTokenizer()
        let description = try modelDescription(tokenizer: imported)
        do {
            return try description.loadTokenizer(files: imported.files, in: directory)
        } catch {
            throw InteropError(kind: .invalidFile, file: directory.path, detail: "\(error)")
        }
    }

    /// Writes a native model directory that `seq2seq translate`, `evaluate` and `generate`
    /// load: `config.json` (a `ModelDescription` with the generation defaults),
    /// `model.safetensors`, and the tokenizer files.
    ///
    /// An existing directory at `output` is replaced only once the new one is complete.
    ///
    /// - Throws: `InteropError` as `makeModel()` and `makeTokenizer()`, or `CheckpointError`
    ///   naming a file that cannot be written.
    public func write(to output: URL) throws {
        let model = try makeModel()
        let tokenizer = try importedTokenizer()
        let description = try modelDescription(tokenizer: tokenizer)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let checkpoint = Checkpoint(
            weights: model.stateDictionary(), step: 0, generator: SeededGenerator(seed: 0),
            config: try encoder.encode(description), extraFiles: tokenizer.files)
        try checkpoint.write(to: output)
    }

    /// The `config.json` of the native model directory.
    private func modelDescription(tokenizer: ImportedTokenizer) throws -> ModelDescription {
        do {
            return try ModelDescription(
                model: config, tokenizerFile: tokenizer.mainFile, tokenizerFormat: tokenizer.format,
                tokenizerExtraIDs: tokenizer.extraIDs, generation: generation,
                sourceLanguage: tokenizer.sourceLanguage)
        } catch {
            throw huggingFaceConfig.unsupported("gives an invalid model description: \(error)")
        }
    }

    /// Every tensor of the weights, and the file to name in messages.
    private func readWeights() throws -> (tensors: [String: Tensor], file: String) {
        let single = directory.appendingPathComponent("model.safetensors")
        let index = directory.appendingPathComponent("model.safetensors.index.json")
        let manager = FileManager.default
        if manager.fileExists(atPath: single.path) {
            return (try readSafeTensors(single), single.path)
        }
        guard manager.fileExists(atPath: index.path) else {
            let pickle = directory.appendingPathComponent("pytorch_model.bin")
            let detail =
                manager.fileExists(atPath: pickle.path)
                ? "only pytorch_model.bin found; re-save with `save_pretrained(safe_serialization=True)`"
                : "no model.safetensors or model.safetensors.index.json"
            throw InteropError(kind: .invalidFile, file: directory.path, detail: detail)
        }
        struct Index: Decodable {
            let weightMap: [String: String]
            enum CodingKeys: String, CodingKey { case weightMap = "weight_map" }
        }
        let shards: Index
        do {
            shards = try JSONDecoder().decode(Index.self, from: Data(contentsOf: index))
        } catch {
            throw InteropError(kind: .invalidFile, file: index.path, detail: "no `weight_map`")
        }
        var tensors: [String: Tensor] = [:]
        for shard in Set(shards.weightMap.values).sorted() {
            let url = directory.appendingPathComponent(shard)
            tensors.merge(try readSafeTensors(url)) { first, _ in first }
        }
        return (tensors, index.path)
    }

    private func readSafeTensors(_ url: URL) throws -> [String: Tensor] {
        do {
            return try SafeTensors.read(contentsOf: url).tensors
        } catch let error as SafeTensorsError {
            throw InteropError(kind: .invalidFile, file: error.file, detail: error.detail)
        }
    }
}
