import ArgumentParser
import Foundation
import Seq2Seq

/// One output for one line of text.
struct Translation {
    /// The detokenized output.
    var text: String
    /// Its tokens and scores.
    var hypothesis: Hypothesis
    /// The source ids it was decoded from (the columns of `hypothesis.attention`).
    var source: [Int32]
}

/// Translates `lines` in order into their n-best outputs, best first; a blank line gets none.
///
/// Sources are decoded in batches of `settings` sorted by length; search is batch-invariant,
/// so a line's outputs do not depend on the others.
///
/// - Parameters:
///   - lines: Source text, one sentence each.
///   - loaded: The model and its tokenizer.
///   - settings: The search.
///   - batchSize: Sources decoded together.
///   - prefixes: The text every output of line `i` must start with, one per line, or `nil`.
///   - sourceEnding: The ids after every source's pieces (mBART: the end token and the
///     language code), or `nil` for the model's end token.
/// - Returns: Per line, its outputs best first (none for a blank line).
/// - Throws: `ValidationError` if the model cannot be decoded step by step.
func translateLines(
    _ lines: [String], with loaded: LoadedModel, settings: SearchSettings, batchSize: Int,
    prefixes: [String]? = nil, sourceEnding: [Int32]? = nil
) throws -> [[Translation]] {
    guard let decoder = loaded.model as? any IncrementalDecoder else {
        throw ValidationError("the model cannot be decoded step by step")
    }
    return translate(
        lines, model: decoder, loaded: loaded, settings: settings, batchSize: batchSize,
        prefixes: prefixes, sourceEnding: sourceEnding)
}

private func translate(
    _ lines: [String], model: some IncrementalDecoder, loaded: LoadedModel,
    settings: SearchSettings, batchSize: Int, prefixes: [String]?, sourceEnding: [Int32]?
) -> [[Translation]] {
    let tokenizer = loaded.tokenizer
    let nonEmpty = lines.indices.filter {
        !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty
    }
    // A decoder-only model continues `source <sep>`: its prompt has no end token.
    let ending =
        sourceEnding ?? (loaded.description.architecture == .transformerLM ? [] : [model.endID])
    let sources = nonEmpty.map { tokenizer.encode(lines[$0]) + ending }
    let forcedPrefixes = prefixes.map { texts in
        nonEmpty.map { targetPrefix(texts[$0], tokenizer: tokenizer, settings: settings) }
    }
    let order = sources.indices.sorted { sources[$0].count < sources[$1].count }
    var outputs = [[Translation]](repeating: [], count: lines.count)
    var start = 0
    while start < order.count {
        let batch = Array(order[start..<min(start + batchSize, order.count)])
        let strategy = settings.strategy(
            endID: model.endID, prefixes: forcedPrefixes.map { all in batch.map { all[$0] } })
        let results = withoutGradients {
            strategy.search(model, sources: batch.map { sources[$0] })
        }
        for (index, result) in zip(batch, results) {
            outputs[nonEmpty[index]] = result.hypotheses.map {
                Translation(
                    text: tokenizer.decode($0.tokens), hypothesis: $0, source: sources[index])
            }
        }
        start += batchSize
    }
    return outputs
}

/// The target ids `text` forces: its target-side pieces, after the forced first token of
/// the model's settings (such as an mBART language code) if there is one.
private func targetPrefix(
    _ text: String, tokenizer: any Tokenizer, settings: SearchSettings
) -> [Int32] {
    let ids =
        (tokenizer as? MarianTokenizer)?.encode(target: text) ?? tokenizer.encode(text)
    return (settings.generation.forcedFirstID.map { [$0] } ?? []) + ids
}
