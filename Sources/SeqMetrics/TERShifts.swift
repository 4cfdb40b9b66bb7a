// The shift search of TER, ported from sacrebleu 2.6.0 `metrics/lib_ter.py`, which follows
// tercom. Words are numbers (see `WordNumbering`); every tie-break below is sacrebleu's.

/// Longest block of words one shift may move.
private let maximumShiftSize = 10
/// Largest distance between a block's hypothesis and reference positions.
private let maximumShiftDistance = 50
/// Shift candidates evaluated per hypothesis-reference pair before the search gives up.
private let maximumShiftCandidates = 1000

/// The number of TER edits turning `hypothesis` into `reference`, and the reference length
/// (sacrebleu's `translation_edit_rate`).
///
/// Greedily applies the block shift that lowers the edit distance most, while one does, then
/// adds the remaining edit distance; every shift counts as one edit. An empty reference costs
/// one edit per hypothesis word.
func translationEditRate(
    hypothesis: [Int], reference: [Int]
) -> (edits: Int, referenceLength: Int) {
    guard !reference.isEmpty else { return (hypothesis.count, 0) }
    var distance = BeamEditDistance(reference: reference)
    var shifts = 0
    var words = hypothesis
    var checkedCandidates = 0
    while true {
        let best = bestShift(
            of: words, toward: reference, distance: &distance,
            checkedCandidates: &checkedCandidates)
        // sacrebleu drops the shift found in the round that exhausted the candidate budget.
        if checkedCandidates >= maximumShiftCandidates { break }
        guard let best, best.gain > 0 else { break }
        shifts += 1
        words = best.words
    }
    return (shifts + distance(words).distance, reference.count)
}

/// A candidate shift, ordered as tercom ranks them: larger gain, then longer block, then
/// earlier block, then earlier target position.
private struct ShiftCandidate: Comparable {
    var gain: Int
    var length: Int
    var start: Int
    var target: Int
    var words: [Int]

    /// The ranking key; the shifted words follow from the other fields.
    private var rank: (Int, Int, Int, Int) { (gain, length, -start, -target) }

    static func < (lhs: ShiftCandidate, rhs: ShiftCandidate) -> Bool { lhs.rank < rhs.rank }

    static func == (lhs: ShiftCandidate, rhs: ShiftCandidate) -> Bool { lhs.rank == rhs.rank }
}

/// The best shift of one round (sacrebleu's `_shift`), or `nil` if no candidate qualified.
private func bestShift(
    of words: [Int], toward reference: [Int], distance: inout BeamEditDistance,
    checkedCandidates: inout Int
) -> ShiftCandidate? {
    let (currentDistance, inverseTrace) = distance(words)
    // The alignment is read from the trace of rewriting the reference into the hypothesis.
    let alignment = Alignment(trace: inverseTrace.map(\.flipped))
    var best: ShiftCandidate?
    for block in matchingBlocks(words, reference) {
        let start = block.hypothesisStart
        let referenceStart = block.referenceStart
        let length = block.length
        // Shift only blocks that are wrong where they are and fix an error where they go,
        // and not into themselves.
        guard alignment.hypothesisErrors(start, length) > 0,
            alignment.referenceErrors(referenceStart, length) > 0,
            !(start..<start + length).contains(alignment.hypothesisPosition[referenceStart])
        else { continue }
        var previousTarget = -1
        for offset in -1..<length {
            let position = referenceStart + offset
            let target: Int
            if position == -1 {
                target = 0
            } else if position < alignment.hypothesisPosition.count {
                // Unlike tercom, which inserts after the aligned word, sacrebleu inserts before.
                target = alignment.hypothesisPosition[position] + 1
            } else {
                break
            }
            if target == previousTarget { continue }
            previousTarget = target
            let shifted = shifting(words, start: start, length: length, to: target)
            let candidate = ShiftCandidate(
                gain: currentDistance - distance(shifted).distance, length: length, start: start,
                target: target, words: shifted)
            checkedCandidates += 1
            if best.map({ candidate > $0 }) ?? true { best = candidate }
        }
        if checkedCandidates >= maximumShiftCandidates { break }
    }
    return best
}

/// Where each reference word is aligned and which words are errors, from an edit trace.
private struct Alignment {
    /// For each reference position, the hypothesis position it aligns to (-1 before the first).
    var hypothesisPosition: [Int] = []
    /// 1 where a reference word is substituted or deleted.
    var referenceError: [Int] = []
    /// 1 where a hypothesis word is substituted or inserted.
    var hypothesisError: [Int] = []

    /// sacrebleu's `trace_to_alignment` for a trace rewriting the reference into the hypothesis.
    init(trace: [EditOperation]) {
        var hypothesis = -1
        for operation in trace {
            switch operation {
            case .match, .substitution:
                hypothesis += 1
                hypothesisPosition.append(hypothesis)
                let error = operation == .substitution ? 1 : 0
                hypothesisError.append(error)
                referenceError.append(error)
            case .insertion:
                hypothesis += 1
                hypothesisError.append(1)
            case .deletion:
                hypothesisPosition.append(hypothesis)
                referenceError.append(1)
            case .undefined:
                preconditionFailure("TER: undefined operation in an edit trace")
            }
        }
    }

    /// Hypothesis errors in positions `start..<start + length` (clipped to the hypothesis).
    func hypothesisErrors(_ start: Int, _ length: Int) -> Int {
        errorCount(hypothesisError, start, length)
    }

    /// Reference errors in positions `start..<start + length` (clipped to the reference).
    func referenceErrors(_ start: Int, _ length: Int) -> Int {
        errorCount(referenceError, start, length)
    }
}

/// `sum(flags[start:start + length])` with Python's clipping of slice bounds.
private func errorCount(_ flags: [Int], _ start: Int, _ length: Int) -> Int {
    flags[min(start, flags.count)..<min(start + length, flags.count)].reduce(0, +)
}

/// A run of equal words in the hypothesis and the reference.
private struct MatchingBlock {
    var hypothesisStart: Int
    var referenceStart: Int
    var length: Int
}

/// Every matching block of 1…10 words, by hypothesis start, then reference start, then
/// length, skipping pairs of starts more than 50 positions apart (`_find_shifted_pairs`).
private func matchingBlocks(_ hypothesis: [Int], _ reference: [Int]) -> [MatchingBlock] {
    var blocks: [MatchingBlock] = []
    for hypothesisStart in hypothesis.indices {
        for referenceStart in reference.indices
        where abs(referenceStart - hypothesisStart) <= maximumShiftDistance {
            var length = 0
            while length < maximumShiftSize,
                hypothesisStart + length < hypothesis.count,
                referenceStart + length < reference.count,
                hypothesis[hypothesisStart + length] == reference[referenceStart + length]
            {
                length += 1
                blocks.append(
                    MatchingBlock(
                        hypothesisStart: hypothesisStart, referenceStart: referenceStart,
                        length: length))
            }
        }
    }
    return blocks
}

/// `words` with the block `start..<start + length` moved before position `target`
/// (sacrebleu's `_perform_shift`, including its handling of targets inside the block).
private func shifting(_ words: [Int], start: Int, length: Int, to target: Int) -> [Int] {
    func slice(_ from: Int, _ to: Int) -> ArraySlice<Int> {
        let lower = min(max(from, 0), words.count)
        return words[lower..<max(lower, min(to, words.count))]
    }
    let block = slice(start, start + length)
    if target < start {
        return Array(
            slice(0, target) + block + slice(target, start) + slice(start + length, words.count))
    } else if target > start + length {
        return Array(
            slice(0, start) + slice(start + length, target) + block + slice(target, words.count))
    } else {
        return Array(
            slice(0, start) + slice(start + length, length + target) + block
                + slice(length + target, words.count))
    }
}
