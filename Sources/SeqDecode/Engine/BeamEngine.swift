import SeqModels
import SeqTensor

/// Settings shared by beam search (one group) and diverse beam search.
struct BeamSettings {
    var groups: Int
    var groupSize: Int
    var diversityPenalty: Float
    var lengthPenalty: Float
    var earlyStopping: EarlyStopping
    var nBest: Int
    var length: LengthLimit
    var processors: [any LogitProcessor]
    var attention: AttentionOptions?
}

private struct Beam {
    /// Start token first.
    var tokens: [Int32]
    /// Hugging Face's running beam score: processed log-probabilities and penalties.
    var score: Float
    var sumLogProbabilities: Float
    /// The model row holding this beam's state at the current step.
    var row: Int
    /// The attention rows of its generated tokens (when collecting; `nil` before the first).
    var attention: AttentionTrail? = nil
}

private struct BeamGroup {
    var beams: [Beam]
    var finished: FinishedHypotheses
    var isDone = false
}

private struct SourceBeams {
    let maxNewTokens: Int
    var groups: [BeamGroup]
    /// Tokens chosen at this step by the groups already advanced (Hamming diversity).
    var chosen: [Int32] = []
}

/// Batched (group) beam search with the semantics of Hugging Face `generate()` 4.46
/// (`_beam_search` and `_group_beam_search` with `BeamSearchScorer`).
///
/// Rows are the live beams of unfinished groups of unfinished sources; everything else is
/// dropped from the model state by `reorder`. At the first step each source has one row, which
/// all its beams share (beams other than the first of each group start at -1e9).
struct BeamEngine<Model: IncrementalDecoder> {
    let model: Model
    let settings: BeamSettings
    private let processors: [any LogitProcessor]
    private let stepper: AttentionStepper<Model>
    private var selector = CandidateSelector()
    private var scratch: [Float] = []
    /// The attention of each model row at the current step, when collecting.
    private var stepAttention: [[Float]]?

    init(model: Model, settings: BeamSettings) {
        precondition(
            model.vocabularySize >= 2,
            "beam search: vocabularySize must be ≥ 2, got \(model.vocabularySize)")
        self.model = model
        self.settings = settings
        stepper = AttentionStepper(model: model, options: settings.attention)
        let minimum = settings.length.minNewTokens
        processors =
            (minimum > 0 ? [MinLength(minNewTokens: minimum, endID: model.endID)] : [])
            + settings.processors
    }

    mutating func search(sources: [[Int32]]) -> [SearchResult] {
        guard !sources.isEmpty else { return [] }
        var searches = sources.enumerated().map { index, source in
            let limit = settings.length.maxNewTokens(sourceLength: source.count)
            let group = BeamGroup(
                beams: (0..<settings.groupSize).map {
                    Beam(
                        tokens: [model.startID], score: $0 == 0 ? 0 : -1e9, sumLogProbabilities: 0,
                        row: index)
                },
                finished: FinishedHypotheses(
                    capacity: settings.groupSize, lengthPenalty: settings.lengthPenalty,
                    earlyStopping: settings.earlyStopping, maxNewTokens: limit))
            return SourceBeams(
                maxNewTokens: limit, groups: Array(repeating: group, count: settings.groups))
        }
        var results = [SearchResult?](repeating: nil, count: sources.count)
        var state = model.start(sources: sources)
        var active = Array(sources.indices)
        var lastTokens = [Int32](repeating: model.startID, count: sources.count)
        var generated = 0
        while !active.isEmpty {
            generated += 1
            let stepped = stepper.step(&state, lastTokens: lastTokens)
            let output = stepped.logProbabilities
            stepAttention = stepped.attention
            precondition(
                output.shape == [lastTokens.count, model.vocabularySize],
                "beam search: step returned shape \(output.shape), expected "
                    + "[\(lastTokens.count), \(model.vocabularySize)]")
            output.withUnsafeBufferPointer { raw in
                for index in active { searches[index].chosen.removeAll(keepingCapacity: true) }
                for group in 0..<settings.groups {
                    advance(group: group, of: active, in: &searches, raw: raw, generated: generated)
                }
            }
            var rows: [Int] = []
            var unfinished: [Int] = []
            lastTokens.removeAll(keepingCapacity: true)
            for index in active {
                let search = searches[index]
                if search.groups.allSatisfy(\.isDone) || generated >= search.maxNewTokens {
                    results[index] = finalize(search)
                    continue
                }
                unfinished.append(index)
                for group in search.groups.indices where !search.groups[group].isDone {
                    for (beam, current) in search.groups[group].beams.enumerated() {
                        rows.append(current.row)
                        lastTokens.append(current.tokens[current.tokens.count - 1])
                        searches[index].groups[group].beams[beam].row = rows.count - 1
                    }
                }
            }
            active = unfinished
            if !active.isEmpty { model.reorder(&state, rows: rows) }
        }
        return results.compactMap { $0 }
    }

    /// One Hugging Face beam step for group `group` of every active source.
    private mutating func advance(
        group: Int, of active: [Int], in searches: inout [SourceBeams],
        raw: UnsafeBufferPointer<Float>, generated: Int
    ) {
        let vocabularySize = model.vocabularySize
        let width = settings.groupSize
        var members: [Int] = []
        var histories: [DecodingRow] = []
        for index in active {
            if searches[index].groups[group].isDone {
                // A finished group keeps emitting padding, which later groups see.
                searches[index].chosen.append(
                    contentsOf: repeatElement(model.padID, count: width))
                continue
            }
            members.append(index)
            for beam in searches[index].groups[group].beams {
                histories.append(
                    DecodingRow(
                        source: index, tokens: beam.tokens,
                        maxNewTokens: searches[index].maxNewTokens))
            }
        }
        guard !members.isEmpty, let rawBase = raw.baseAddress else { return }
        let needed = histories.count * vocabularySize
        // Taken out of `self` so `step` can mutate `self` while the buffer is borrowed.
        var scratch: [Float] = []
        swap(&scratch, &self.scratch)
        defer { swap(&scratch, &self.scratch) }
        if scratch.count < needed { scratch = [Float](repeating: 0, count: needed) }
        scratch.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for (member, index) in members.enumerated() {
                let penalties = hammingPenalties(searches[index].chosen)
                for (beam, current) in searches[index].groups[group].beams.enumerated() {
                    let row = base + (member * width + beam) * vocabularySize
                    row.update(from: rawBase + current.row * vocabularySize, count: vocabularySize)
                    for (token, penalty) in penalties { row[Int(token)] -= penalty }
                }
            }
            let rows = LogitRows(base: base, vocabularySize: vocabularySize, rows: histories)
            for processor in processors { processor.process(rows) }
            for (member, index) in members.enumerated() {
                step(
                    &searches[index].groups[group], scores: base + member * width * vocabularySize,
                    raw: rawBase, generated: generated)
                let beams = searches[index].groups[group].beams
                searches[index].chosen.append(
                    contentsOf: beams.map { $0.tokens[$0.tokens.count - 1] })
            }
        }
    }

    /// λ · (times each token was chosen by earlier groups at this step), per distinct token.
    private func hammingPenalties(_ chosen: [Int32]) -> [(token: Int32, penalty: Float)] {
        guard settings.diversityPenalty > 0 else { return [] }
        var counts: [Int32: Int] = [:]
        for token in chosen { counts[token, default: 0] += 1 }
        return counts.map { ($0.key, settings.diversityPenalty * Float($0.value)) }
    }

    /// `BeamSearchScorer.process` for one source group: visits the best `2 · width`
    /// extensions, sends end tokens ranked below `width` to the finished list, keeps `width`
    /// live beams, and updates the group's stopping state.
    private mutating func step(
        _ group: inout BeamGroup, scores: UnsafePointer<Float>, raw: UnsafePointer<Float>,
        generated: Int
    ) {
        let vocabularySize = model.vocabularySize
        let width = settings.groupSize
        let candidates = selector.select(
            count: 2 * width, beamScores: group.beams.map(\.score), rows: scores,
            vocabularySize: vocabularySize)
        var next: [Beam] = []
        next.reserveCapacity(width)
        for (rank, candidate) in candidates.enumerated() {
            let parent = group.beams[candidate.index / vocabularySize]
            let token = candidate.index % vocabularySize
            let logProbability = raw[parent.row * vocabularySize + token]
            let attention = stepAttention.map {
                AttentionTrail(row: $0[parent.row], previous: parent.attention)
            }
            if Int32(token) == model.endID {
                guard rank < width else { continue }
                group.finished.add(
                    tokens: Array(parent.tokens.dropFirst()) + [Int32(token)], sum: candidate.score,
                    sumLogProbabilities: parent.sumLogProbabilities + logProbability,
                    isFinished: true, attention: attentionRows(attention))
            } else {
                next.append(
                    Beam(
                        tokens: parent.tokens + [Int32(token)], score: candidate.score,
                        sumLogProbabilities: parent.sumLogProbabilities + logProbability,
                        row: parent.row, attention: attention))
                if next.count == width { break }
            }
        }
        precondition(next.count == width, "beam search: only \(next.count) of \(width) beams")
        group.beams = next
        if !group.isDone, let best = candidates.first {
            group.isDone = group.finished.isDone(best: best.score, generatedCount: generated)
        }
    }

    /// `BeamSearchScorer.finalize` for one source: live beams of unfinished groups join their
    /// finished lists, and the best `nBest` of all groups are returned.
    private func finalize(_ search: SourceBeams) -> SearchResult {
        var entries: [FinishedHypotheses.Entry] = []
        for var group in search.groups {
            if !group.isDone {
                for beam in group.beams {
                    group.finished.add(
                        tokens: Array(beam.tokens.dropFirst()), sum: beam.score,
                        sumLogProbabilities: beam.sumLogProbabilities, isFinished: false,
                        attention: attentionRows(beam.attention))
                }
            }
            entries += group.finished.entries
        }
        // Python's stable ascending sort then `pop()`: ties go to the entry added last.
        let order = entries.indices.sorted { (entries[$0].score, $0) > (entries[$1].score, $1) }
        return SearchResult(hypotheses: order.prefix(settings.nBest).map { entries[$0].hypothesis })
    }

    /// The rows of `trail` when collecting attention (none yet before the first token), else
    /// `nil`.
    private func attentionRows(_ trail: AttentionTrail?) -> [[Float]]? {
        guard stepper.isCollecting else { return nil }
        return trail?.rows ?? []
    }
}
