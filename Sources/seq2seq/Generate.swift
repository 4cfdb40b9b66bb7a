import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq generate --model DIR`: token ids in, n-best token ids out, one JSON line each.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode source token ids and print the n-best outputs with their scores.",
        discussion: """
            Reads one JSON array of source token ids per line (ending with the end id) and \
            writes one JSON object per line: {"sequences": [[...]], "scores": [...], \
            "sum_logprobs": [...]}, the n-best outputs best first, each starting with the \
            decoder start id and ending with the end id when finished. Settings not given \
            come from the model: an imported checkpoint's generation config, or beam 5 for a \
            trained model. With --sample, --nbest N draws N samples per source. With \
            --output-attentions each object also has "attentions": per output, one row per \
            generated token (after the start id) of cross-attention weights over the source \
            ids, from the last decoder layer averaged over its heads.
            """)

    @Option(help: "A model directory.")
    var model: String

    @OptionGroup(title: "Search")
    var search: SearchOptions

    @Flag(help: "Add each output's cross-attention weights (\"attentions\") to the JSON.")
    var outputAttentions = false

    func run() throws {
        let loaded = try LoadedModel(contentsOf: URL(fileURLWithPath: model))
        guard let decoder = loaded.model as? any IncrementalDecoder else {
            throw ValidationError("\(model): the model cannot be decoded step by step")
        }
        var settings = try search.settings(for: loaded)
        if outputAttentions {
            try requireAttention(loaded, model: model, option: "--output-attentions")
            settings.attention = AttentionOptions()
        }
        let strategy = settings.strategy(endID: decoder.endID)
        var sources: [[Int32]] = []
        var lineNumber = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            sources.append(try parseSource(line, lineNumber: lineNumber, model: decoder))
        }
        var start = 0
        while start < sources.count {
            let batch = Array(sources[start..<min(start + search.batchSize, sources.count)])
            let results = withoutGradients { strategy.search(decoder, sources: batch) }
            for result in results { print(jsonLine(result, startID: decoder.startID)) }
            start += search.batchSize
        }
    }

    /// The ids of one input line.
    private func parseSource(
        _ line: String, lineNumber: Int, model: any IncrementalDecoder
    ) throws -> [Int32] {
        guard let ids = try? JSONDecoder().decode([Int32].self, from: Data(line.utf8)),
            !ids.isEmpty
        else {
            throw ValidationError(
                "standard input line \(lineNumber): expected a non-empty JSON array of token ids")
        }
        if let bad = ids.first(where: { $0 < 0 || Int($0) >= model.vocabularySize }) {
            throw ValidationError(
                "standard input line \(lineNumber): id \(bad) is outside the vocabulary "
                    + "0..<\(model.vocabularySize)")
        }
        return ids
    }
}

/// `{"sequences": [[...]], "scores": [...], "sum_logprobs": [...]}` for one source, with
/// `"attentions": [[[...]]]` when the search collected attention.
private func jsonLine(_ result: SearchResult, startID: Int32) -> String {
    func number(_ value: Float) -> String { value.isFinite ? "\(value)" : "null" }
    let sequences = result.hypotheses.map { hypothesis in
        "[" + ([startID] + hypothesis.tokens).map(String.init).joined(separator: ", ") + "]"
    }
    let scores = result.hypotheses.map { number($0.score) }
    let sums = result.hypotheses.map { number($0.sumLogProbabilities) }
    let attentions = result.hypotheses.compactMap(\.attention)
    let attentionField =
        attentions.count == result.hypotheses.count
        ? ", \"attentions\": [\(attentions.map(jsonMatrix).joined(separator: ", "))]" : ""
    return "{\"sequences\": [\(sequences.joined(separator: ", "))], "
        + "\"scores\": [\(scores.joined(separator: ", "))], "
        + "\"sum_logprobs\": [\(sums.joined(separator: ", "))]\(attentionField)}"
}
