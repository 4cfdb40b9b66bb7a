import SeqNN
import SeqTensor

// Legend: B batch, S the most elements of any example, E embedding size, H hidden size,
// T the longest target, so T + 1 decoding steps (the end included).

extension PointerNetwork {
    /// Teacher-forced scores over the slots at every step: the decoder reads the start
    /// vector, then the embedding of each target element in turn.
    ///
    /// Step `i` of row `b` predicts `targets[b][i]` (slot `targets[b][i] + 1`) for
    /// `i < targets[b].count`, then the end (slot 0). Padding slots, and with
    /// `config.maskedTraining` the slots `config.constraint` blocks after the target's first
    /// `i` elements, are at `AttentionMask.blockedScore`.
    ///
    /// - Parameters:
    ///   - batch: The inputs.
    ///   - targets: For each example, 0-based input positions (without an end marker).
    /// - Returns: Logits `[B, T + 1, S + 1]`; steps after a row's end are padding.
    public func logits(_ batch: PointerBatch, targets: [[Int]]) -> Tensor {
        logits(encode(batch), targets: targets)
    }

    /// Teacher-forced scores over the slots at every step, from an existing encoding.
    ///
    /// As `logits(_:targets:)`.
    public func logits(_ encoding: PointerEncoding, targets: [[Int]]) -> Tensor {
        checkTargets(targets, lengths: encoding.lengths)
        let (rows, slotCount) = (encoding.lengths.count, encoding.slotCount)
        let steps = (targets.map(\.count).max() ?? 0) + 1
        let embeddingSize = encoding.inputs.shape[2]
        var inputSlots = [Int32]()
        inputSlots.reserveCapacity(rows * steps)
        for (row, target) in targets.enumerated() {
            for step in 0..<steps {
                let slot = step == 0 || step > target.count ? 0 : target[step - 1] + 1
                inputSlots.append(Int32(row * slotCount + slot))
            }
        }
        let inputs = encoding.inputs.reshaped([rows * slotCount, embeddingSize])
            .indexSelect(axis: 0, indices: inputSlots).reshaped([rows, steps, embeddingSize])
        // Teacher forcing knows every input in advance: the decoder runs as one fused op.
        let states = runFused(decoder, over: inputs, from: encoding.initialState, lengths: nil)
            .outputs
        let mask = encoding.paddingMask
        let queries = pointingQueries(states, glimpseKeys: encoding.glimpseKeys, mask: mask)
        let chosen =
            config.maskedTraining
            ? teacherForcedBlocked(
                targets, lengths: encoding.lengths, steps: steps,
                slotCount: slotCount) : nil
        return pointer.logits(
            queries, projectedKeys: encoding.pointerKeys, mask: mask, chosen: chosen)
    }

    /// The teacher-forced cross-entropy of `targets` followed by the end, over the slots.
    ///
    /// - Parameters:
    ///   - batch: The inputs.
    ///   - targets: For each example, 0-based input positions (without an end marker).
    ///   - reduction: `.mean` over every predicted slot (each target element and each end),
    ///     `.sum`, or `.none` for `[B, T + 1]` losses with zeros after each row's end.
    /// - Returns: A scalar, or `[B, T + 1]` for `.none`.
    public func loss(
        _ batch: PointerBatch, targets: [[Int]], reduction: Reduction = .mean
    ) -> Tensor {
        let logits = self.logits(batch, targets: targets)
        let steps = logits.shape[1]
        var labels = [Int32]()
        labels.reserveCapacity(targets.count * steps)
        for target in targets {
            for step in 0..<steps {
                labels.append(
                    step < target.count ? Int32(target[step] + 1) : step == target.count ? 0 : -1)
            }
        }
        return logits.crossEntropy(targets: labels, ignoreIndex: -1, reduction: reduction)
    }

    /// Traps unless every target lies in its input and, with masked training, obeys the
    /// constraint.
    private func checkTargets(_ targets: [[Int]], lengths: [Int]) {
        precondition(
            targets.count == lengths.count,
            "PointerNetwork: \(targets.count) targets for \(lengths.count) examples")
        for (row, target) in targets.enumerated() {
            precondition(
                target.allSatisfy { $0 >= 0 && $0 < lengths[row] },
                "PointerNetwork: target \(target) of example \(row) points outside its \(lengths[row]) elements"
            )
            precondition(
                !config.maskedTraining || config.constraint.allows(target, length: lengths[row]),
                "PointerNetwork: target \(target) of example \(row) breaks the constraint \(config.constraint) used in masked training"
            )
        }
    }

    /// `[B, T + 1, S + 1]`: `1` where the constraint blocks a slot at a teacher-forced step.
    private func teacherForcedBlocked(
        _ targets: [[Int]], lengths: [Int], steps: Int, slotCount: Int
    ) -> Tensor {
        var blocked = [Float](repeating: 0, count: targets.count * steps * slotCount)
        for (row, target) in targets.enumerated() {
            var chosen = [Bool](repeating: false, count: slotCount)
            for step in 0..<steps {
                config.constraint.markBlockedSlots(
                    chosen: chosen, count: min(step, target.count), length: lengths[row],
                    into: &blocked, offset: (row * steps + step) * slotCount)
                if step < target.count { chosen[target[step] + 1] = true }
            }
        }
        return Tensor(shape: [targets.count, steps, slotCount], scalars: blocked)
    }
}
