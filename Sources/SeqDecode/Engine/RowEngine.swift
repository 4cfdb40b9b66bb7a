import SeqModels
import SeqTensor

private struct SearchRow {
    let source: Int
    /// Start token first.
    var tokens: [Int32]
    var score: Float = 0
    var sumLogProbabilities: Float = 0
    /// The model row holding this row's state at the current step.
    var row: Int
    var generator: SeededGenerator
    /// One attention row per generated token when collecting, else `nil`.
    var attention: [[Float]]?
}

/// Batched single-row decoding (greedy search, sampling): one row per source and sample; a
/// row leaves the model state as soon as it emits the end token or reaches its limit.
struct RowEngine<Model: IncrementalDecoder> {
    let model: Model
    private let stepper: AttentionStepper<Model>
    let length: LengthLimit
    let samplesPerSource: Int
    /// Seeds the per-source generators (sampling only).
    let seed: UInt64
    private let processors: [any LogitProcessor]
    /// Draws tokens when sampling; `nil` for greedy search.
    private var sampler: TokenSampler?

    init(
        model: Model, length: LengthLimit, processors: [any LogitProcessor],
        samplesPerSource: Int = 1, sampler: TokenSampler? = nil, seed: UInt64 = 0,
        attention: AttentionOptions? = nil
    ) {
        precondition(
            model.vocabularySize >= 1,
            "search: vocabularySize must be ≥ 1, got \(model.vocabularySize)")
        self.model = model
        stepper = AttentionStepper(model: model, options: attention)
        self.length = length
        self.samplesPerSource = samplesPerSource
        self.sampler = sampler
        self.seed = seed
        let minimum = length.minNewTokens
        self.processors =
            (minimum > 0 ? [MinLength(minNewTokens: minimum, endID: model.endID)] : [])
            + processors
    }

    mutating func search(sources: [[Int32]]) -> [SearchResult] {
        guard !sources.isEmpty else { return [] }
        let vocabularySize = model.vocabularySize
        let limits = sources.map { length.maxNewTokens(sourceLength: $0.count) }
        var rows: [SearchRow] = []
        for (index, source) in sources.enumerated() {
            let base = SeededGenerator(seed: seed ^ sourceHash(source))
            for sample in 0..<samplesPerSource {
                rows.append(
                    SearchRow(
                        source: index, tokens: [model.startID], row: index,
                        generator: base.child(UInt64(sample)),
                        attention: stepper.isCollecting ? [] : nil))
            }
        }
        var state = model.start(sources: sources)
        if samplesPerSource > 1 { model.reorder(&state, rows: rows.map(\.row)) }
        for position in rows.indices { rows[position].row = position }
        var finished = [[Hypothesis]](repeating: [], count: sources.count)
        var scratch: [Float] = []
        while !rows.isEmpty {
            let (output, attention) = stepper.step(
                &state, lastTokens: rows.map { $0.tokens[$0.tokens.count - 1] })
            precondition(
                output.shape == [rows.count, vocabularySize],
                "search: step returned shape \(output.shape), expected [\(rows.count), "
                    + "\(vocabularySize)]")
            let histories = rows.map {
                DecodingRow(source: $0.source, tokens: $0.tokens, maxNewTokens: limits[$0.source])
            }
            // Reused from step to step: the processors change scores, not the model's output.
            output.withUnsafeBufferPointer { raw in
                if scratch.count != raw.count {
                    scratch = [Float](repeating: 0, count: raw.count)
                }
                scratch.withUnsafeMutableBufferPointer { copy in
                    guard let base = copy.baseAddress, let source = raw.baseAddress else { return }
                    base.update(from: source, count: raw.count)
                }
            }
            var kept: [Int] = []
            scratch.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                let logits = LogitRows(base: base, vocabularySize: vocabularySize, rows: histories)
                for processor in processors { processor.process(logits) }
                output.withUnsafeBufferPointer { raw in
                    for position in rows.indices {
                        let scores = base + position * vocabularySize
                        let token = choose(scores, using: &rows[position].generator)
                        rows[position].score += scores[token]
                        rows[position].sumLogProbabilities += raw[position * vocabularySize + token]
                        rows[position].tokens.append(Int32(token))
                        if let attention { rows[position].attention?.append(attention[position]) }
                        let isEnd = Int32(token) == model.endID
                        let current = rows[position]
                        if isEnd || current.tokens.count - 1 >= limits[current.source] {
                            finished[current.source].append(
                                Hypothesis(
                                    tokens: Array(current.tokens.dropFirst()), score: current.score,
                                    sumLogProbabilities: current.sumLogProbabilities,
                                    isFinished: isEnd, attention: current.attention))
                        } else {
                            kept.append(position)
                        }
                    }
                }
            }
            if kept.count < rows.count {
                rows = kept.map { rows[$0] }
                if !rows.isEmpty { model.reorder(&state, rows: kept) }
                for position in rows.indices { rows[position].row = position }
            }
        }
        // Samples best first; the sort is stable, so equal scores keep sample order.
        return finished.map { hypotheses in
            let order = hypotheses.indices.sorted {
                (hypotheses[$0].score, -$0) > (hypotheses[$1].score, -$1)
            }
            return SearchResult(hypotheses: order.map { hypotheses[$0] })
        }
    }

    private mutating func choose(
        _ scores: UnsafePointer<Float>, using generator: inout SeededGenerator
    ) -> Int {
        let vocabularySize = model.vocabularySize
        if sampler != nil {
            return sampler?.draw(scores, vocabularySize: vocabularySize, using: &generator) ?? 0
        }
        return firstMaximum(scores, count: vocabularySize)
    }
}

/// The index of the first largest of `count` scores, as `torch.argmax` (NaN never wins; `0`
/// when every score is NaN).
private func firstMaximum(_ scores: UnsafePointer<Float>, count: Int) -> Int {
    var lanes = SIMD16<Float>(repeating: -.infinity)
    var index = 0
    while index + 16 <= count {
        let next = UnsafeRawPointer(scores + index).loadUnaligned(as: SIMD16<Float>.self)
        lanes.replace(with: next, where: next .> lanes)
        index += 16
    }
    var maximum = lanes.max()
    while index < count {
        if scores[index] > maximum { maximum = scores[index] }
        index += 1
    }
    for token in 0..<count where scores[token] == maximum { return token }
    return 0
}

/// FNV-1a over the source's ids: a per-source seed that does not depend on the batch.
private func sourceHash(_ source: [Int32]) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for token in source {
        for shift in stride(from: 0, to: 32, by: 8) {
            hash =
                (hash ^ UInt64((UInt32(bitPattern: token) >> UInt32(shift)) & 0xFF))
                &* 0x0000_0100_0000_01B3
        }
    }
    return hash
}
