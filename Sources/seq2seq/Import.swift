import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq import hf DIR --output OUT`: a checkpoint of another toolkit as a native model
/// directory.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a checkpoint of another toolkit as a native model directory.",
        subcommands: [HuggingFaceImport.self])
}

/// `seq2seq import hf DIR --output OUT`.
struct HuggingFaceImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hf",
        abstract: "Import a Hugging Face checkpoint folder (Marian, T5, BART).",
        discussion: """
            DIR is a folder written by `save_pretrained(safe_serialization=True)`: config.json, \
            model.safetensors, the tokenizer files and optionally generation_config.json. The \
            output directory loads in `translate`, `evaluate` and `generate`, and carries the \
            checkpoint's generation settings as `generate`'s defaults.
            """)

    @Argument(help: "The Hugging Face checkpoint folder.")
    var directory: String

    @Option(help: "The model directory to write (replaced if it exists).")
    var output: String

    func run() throws {
        let checkpoint = try HuggingFaceCheckpoint(contentsOf: URL(fileURLWithPath: directory))
        try checkpoint.write(to: URL(fileURLWithPath: output))
        let config = checkpoint.config
        print(
            "Imported a \(checkpoint.family.rawValue) model (modelSize \(config.modelSize), "
                + "\(config.encoderLayerCount) + \(config.decoderLayerCount) layers, "
                + "vocabulary \(config.vocabularySize)) into \(output)")
    }
}
