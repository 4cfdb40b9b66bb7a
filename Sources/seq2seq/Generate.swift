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
            come from the model's generation defaults (those of an imported checkpoint).
            """)

    @Option(help: "A model directory.")
    var model: String

    @Option(help: "Beams per source; 1 is greedy search.")
    var beam: Int?

    @Option(help: "Diverse beam search groups (divides --beam).")
    var groups: Int?

    @Option(help: "Diversity penalty between groups.")
    var diversity: Float?

    @Option(help: "Outputs printed per source (at most --beam).")
    var nbest: Int?

    @Option(help: "Length penalty exponent of beam search.")
    var lengthPenalty: Float?

    @Option(help: "Ban repeated n-grams of this size (0 for none).")
    var noRepeatNgram: Int?

    @Option(help: "Most tokens generated per source, the end token included.")
    var maxNewTokens: Int?

    @Option(help: "Tokens generated before the end token is allowed.")
    var minNewTokens: Int?

    @Option(help: "When beam search stops: true, false or never.")
    var earlyStopping: String?

    @Option(help: "Sources decoded together.")
    var batchSize = 32

    func validate() throws {
        guard batchSize >= 1 else {
            throw ValidationError("--batch-size must be at least 1, got \(batchSize)")
        }
        if let earlyStopping, GenerationDefaults.Stopping(rawValue: earlyStopping) == nil {
            throw ValidationError(
                "--early-stopping must be true, false or never, got \(earlyStopping)")
        }
    }

    /// The model's defaults with the options given on the command line.
    private func settings(from defaults: GenerationDefaults) throws -> GenerationDefaults {
        var settings = defaults
        if let beam {
            settings.beamSize = beam
            // A narrower beam cannot return the default number of outputs.
            settings.nBest = min(settings.nBest, beam)
            if settings.groups > beam || !beam.isMultiple(of: settings.groups) {
                settings.groups = 1
            }
        }
        if let groups { settings.groups = groups }
        if let diversity { settings.diversityPenalty = diversity }
        if let nbest { settings.nBest = nbest }
        if let lengthPenalty { settings.lengthPenalty = lengthPenalty }
        if let noRepeatNgram { settings.noRepeatNGramSize = noRepeatNgram }
        if let maxNewTokens { settings.maxNewTokens = maxNewTokens }
        if let minNewTokens { settings.minNewTokens = minNewTokens }
        if let earlyStopping, let stopping = GenerationDefaults.Stopping(rawValue: earlyStopping) {
            settings.earlyStopping = stopping
        }
        do {
            try settings.validate()
        } catch let error as ConfigError {
            throw ValidationError("the generation settings do not fit together: \(error)")
        }
        return settings
    }

    func run() throws {
        let loaded = try LoadedModel(contentsOf: URL(fileURLWithPath: model))
        guard let decoder = loaded.model as? any IncrementalDecoder else {
            throw ValidationError("\(model): the model cannot be decoded step by step")
        }
        let settings = try settings(from: loaded.description.generation ?? GenerationDefaults())
        let strategy = settings.strategy(endID: decoder.endID)
        var sources: [[Int32]] = []
        var lineNumber = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            sources.append(try parseSource(line, lineNumber: lineNumber, model: decoder))
        }
        var start = 0
        while start < sources.count {
            let batch = Array(sources[start..<min(start + batchSize, sources.count)])
            let results = withoutGradients { strategy.search(decoder, sources: batch) }
            for result in results { print(jsonLine(result, startID: decoder.startID)) }
            start += batchSize
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

/// `{"sequences": [[...]], "scores": [...], "sum_logprobs": [...]}` for one source.
private func jsonLine(_ result: SearchResult, startID: Int32) -> String {
    func number(_ value: Float) -> String { value.isFinite ? "\(value)" : "null" }
    let sequences = result.hypotheses.map { hypothesis in
        "[" + ([startID] + hypothesis.tokens).map(String.init).joined(separator: ", ") + "]"
    }
    let scores = result.hypotheses.map { number($0.score) }
    let sums = result.hypotheses.map { number($0.sumLogProbabilities) }
    return "{\"sequences\": [\(sequences.joined(separator: ", "))], "
        + "\"scores\": [\(scores.joined(separator: ", "))], "
        + "\"sum_logprobs\": [\(sums.joined(separator: ", "))]}"
}
