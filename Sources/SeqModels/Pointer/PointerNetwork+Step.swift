import SeqNN
import SeqTensor

// Legend: R rows being decoded, S + 1 slots, E embedding size, H hidden size, A attention size.

extension PointerNetwork {
    /// One decoding step for `R` rows, each reading one example of `encoding`.
    ///
    /// - Parameters:
    ///   - encoding: The encoded batch.
    ///   - examples: For each row, the example of `encoding` it decodes.
    ///   - inputSlots: For each row, the slot chosen last (0 at the first step: the start).
    ///   - state: The decoder state of the rows, `[R, H]` each.
    ///   - blocked: `[R, S + 1]`, `1` at slots the row may not choose, or `nil`.
    /// - Returns: The new state and the log-probabilities over the slots, `[R, S + 1]`.
    func step(
        _ encoding: PointerEncoding, examples: [Int], inputSlots: [Int], state: LSTMState,
        blocked: Tensor?
    ) -> (state: LSTMState, logProbabilities: Tensor) {
        let slotCount = encoding.slotCount
        let embeddingSize = encoding.inputs.shape[2]
        let rows = examples.map { Int32($0) }
        let inputs = encoding.inputs.reshaped([-1, embeddingSize]).indexSelect(
            axis: 0, indices: zip(examples, inputSlots).map { Int32($0 * slotCount + $1) })
        let next = decoder(inputs, state: state)
        let lengths = examples.map { encoding.lengths[$0] + 1 }
        let mask: AttentionMask? =
            lengths.allSatisfy { $0 == slotCount } ? nil : .keyLengths(lengths)
        let query = pointingQueries(
            next.hidden,
            glimpseKeys: encoding.glimpseKeys.map { $0.indexSelect(axis: 0, indices: rows) },
            mask: mask)
        let logProbabilities = pointer.logProbabilities(
            query, projectedKeys: encoding.pointerKeys.indexSelect(axis: 0, indices: rows),
            mask: mask, chosen: blocked)
        return (next, logProbabilities)
    }
}
