import SeqNN
import SeqTensor

// Legend: R rows being decoded, B examples, S the most elements of any example.

/// A `PointerNetwork` over one batch of inputs, as an `IncrementalDecoder`, so every SeqDecode
/// search (greedy, beam, sampling) decodes it.
///
/// Tokens are slots: `0` is the end, `j + 1` is input position `j`, and `S + 1`, never
/// produced, is the start token; `vocabularySize` is `S + 2`. A *source* is the one-element
/// list `[b]` naming example `b` of the batch (`sources` lists them all). The batch is encoded
/// once, when the decoder is created; each row of the search state keeps its decoder state
/// and the slots it has chosen, and every step masks what `constraint` forbids, so the
/// log-probabilities a search sees are renormalised over the allowed slots.
///
/// ```swift
/// let decoder = PointerSearchDecoder(model: model, batch: batch, constraint: .permutation)
/// let results = BeamSearch(beamSize: 4, length: LengthLimit(maxNewTokens: decoder.maxNewTokens))
///     .search(decoder, sources: decoder.sources)
/// let tours = results.map { PointerSearchDecoder.positions(of: $0.best.tokens) }
/// ```
public struct PointerSearchDecoder: IncrementalDecoder {
    /// The model.
    public let model: PointerNetwork
    /// The encoded batch.
    public let encoding: PointerEncoding
    /// The outputs allowed at every step.
    public let constraint: PointerConstraint

    /// Per-row decoding state.
    public struct State {
        /// The example each row decodes.
        var examples: [Int]
        /// The decoder LSTM state, `[R, H]` each.
        var lstm: LSTMState
        /// For each row, whether it has chosen each slot.
        var chosen: [[Bool]]
        /// For each row, the number of positions chosen.
        var counts: [Int]
    }

    /// Encodes `batch` with `model` (without recording gradients).
    ///
    /// - Parameters:
    ///   - model: The pointer network.
    ///   - batch: The inputs to decode.
    ///   - constraint: The outputs allowed, or `nil` for `model.config.constraint`.
    public init(model: PointerNetwork, batch: PointerBatch, constraint: PointerConstraint? = nil) {
        self.model = model
        self.encoding = withoutGradients { model.encode(batch) }
        self.constraint = constraint ?? model.config.constraint
    }

    /// `S + 2`: the end, `S` positions and the start.
    public var vocabularySize: Int { encoding.slotCount + 1 }
    /// `S + 1`, fed to the first step and never produced.
    public var startID: Int32 { Int32(encoding.slotCount) }
    /// `0`, the end slot.
    public var endID: Int32 { 0 }
    /// `0`, the end slot.
    public var padID: Int32 { 0 }
    /// One source per example of the batch, `[[0], [1], …]`.
    public var sources: [[Int32]] { encoding.lengths.indices.map { [Int32($0)] } }
    /// Enough tokens for the longest input plus the end: `S + 1`.
    public var maxNewTokens: Int { encoding.slotCount }

    /// The input positions a hypothesis's tokens name, up to (without) its end token.
    ///
    /// A token `t` other than the end maps to position `t − 1`; check the result against the
    /// input's length (`PointerConstraint.allows(_:length:)`) when the search was
    /// unconstrained.
    public static func positions(of tokens: [Int32]) -> [Int] {
        Array(tokens.prefix { $0 != 0 }.map { Int($0) - 1 })
    }

    /// The state for `sources` (each `[b]`, an example of the batch), one row per source.
    public func start(sources: [[Int32]]) -> State {
        let examples = sources.map { source in
            precondition(
                source.count == 1 && source[0] >= 0 && Int(source[0]) < encoding.lengths.count,
                "PointerSearchDecoder: source \(source) must be [b] with b in 0..<\(encoding.lengths.count)"
            )
            return Int(source[0])
        }
        let rows = examples.map { Int32($0) }
        let initial = encoding.initialState
        return State(
            examples: examples,
            lstm: LSTMState(
                hidden: initial.hidden.indexSelect(axis: 0, indices: rows),
                cell: initial.cell.indexSelect(axis: 0, indices: rows)),
            chosen: examples.map { _ in [Bool](repeating: false, count: encoding.slotCount) },
            counts: [Int](repeating: 0, count: examples.count))
    }

    /// Feeds each row's last slot (the start token at the first step; an end token is read
    /// as the start) and returns log-probabilities `[R, S + 2]`: over the allowed slots, with
    /// about `AttentionMask.blockedScore` at forbidden ones and `-∞` at the start token.
    public func step(_ state: inout State, lastTokens: [Int32]) -> Tensor {
        precondition(
            lastTokens.count == state.examples.count,
            "PointerSearchDecoder: \(lastTokens.count) tokens for \(state.examples.count) rows")
        let slotCount = encoding.slotCount
        var inputSlots = [Int](repeating: 0, count: lastTokens.count)
        for (row, token) in lastTokens.enumerated() where token != startID && token != endID {
            precondition(
                token > 0 && Int(token) < slotCount,
                "PointerSearchDecoder: token \(token) is not a slot of 0...\(slotCount)")
            inputSlots[row] = Int(token)
            if !state.chosen[row][Int(token)] {
                state.chosen[row][Int(token)] = true
                state.counts[row] += 1
            }
        }
        var blocked: Tensor? = nil
        if constraint != .unconstrained {
            var flags = [Float](repeating: 0, count: lastTokens.count * slotCount)
            for row in lastTokens.indices {
                constraint.markBlockedSlots(
                    chosen: state.chosen[row], count: state.counts[row],
                    length: encoding.lengths[state.examples[row]], into: &flags,
                    offset: row * slotCount)
            }
            blocked = Tensor(shape: [lastTokens.count, slotCount], scalars: flags)
        }
        let (next, logProbabilities) = withoutGradients {
            model.step(
                encoding, examples: state.examples, inputSlots: inputSlots, state: state.lstm,
                blocked: blocked)
        }
        state.lstm = next
        return concatenate(
            [logProbabilities, .full([lastTokens.count, 1], -.infinity)], axis: 1)
    }

    /// Keeps rows `rows` of `state`, in that order.
    public func reorder(_ state: inout State, rows: [Int]) {
        let indices = rows.map { Int32($0) }
        state.examples = rows.map { state.examples[$0] }
        state.lstm = LSTMState(
            hidden: state.lstm.hidden.indexSelect(axis: 0, indices: indices),
            cell: state.lstm.cell.indexSelect(axis: 0, indices: indices))
        state.chosen = rows.map { state.chosen[$0] }
        state.counts = rows.map { state.counts[$0] }
    }
}
