import ArgumentParser
import Foundation
import Seq2Seq

/// Checks that `loaded` can report cross attention, for `option` (`--alignment`,
/// `--output-attentions`).
///
/// - Throws: `ValidationError` naming the model directory and the option when the model has
///   no attention over its source (a decoder-only model, a recurrent model without attention,
///   a pointer network).
func requireAttention(_ loaded: LoadedModel, model path: String, option: String) throws {
    guard let reporting = loaded.model as? any AttentionReportingDecoder,
        reporting.crossAttentionLayerCount > 0
    else {
        throw ValidationError(
            "\(option): the model at \(path) (\(loaded.description.architecture.rawValue)) "
                + "has no attention over its source to report; it needs an encoder–decoder "
                + "Transformer or a recurrent model with attention")
    }
}

/// fairseq-interactive's `--print-alignment` line for input `index`: `A-<index>`, a tab, and
/// the `source-target` pairs separated by spaces (empty without an output).
func alignmentLine(index: Int, links: [AlignmentLink]) -> String {
    "A-\(index)\t" + links.map(\.description).joined(separator: " ")
}

/// The hard alignment of `translation` (end and padding tokens left out, as fairseq does).
func hardAlignment(_ translation: Translation, model: LoadedModel) -> [AlignmentLink] {
    guard let decoder = model.model as? any IncrementalDecoder else { return [] }
    return translation.hypothesis.hardAlignment(
        source: translation.source, ignoring: [decoder.endID, decoder.padID]) ?? []
}

/// An attention matrix as JSON text: rows of numbers with their shortest exact digits.
func jsonMatrix(_ rows: [[Float]]) -> String {
    "["
        + rows.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }
        .joined(separator: ", ") + "]"
}
