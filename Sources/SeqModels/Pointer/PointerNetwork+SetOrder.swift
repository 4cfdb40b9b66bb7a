import Foundation
import SeqNN
import SeqTensor

extension PointerNetwork {
    /// The orders to train on at training step `step` for targets that are sets.
    ///
    /// Before `training.warmupSteps`, a uniformly random permutation of each target; after,
    /// `modelOrders(of:for:choice:using:)`. See `SetOrderTraining`.
    ///
    /// - Parameters:
    ///   - batch: The inputs.
    ///   - targets: For each example, the set of 0-based input positions (no repeats), in any
    ///     order.
    ///   - step: The number of training steps done so far.
    ///   - training: The warm-up length and the choice rule.
    ///   - generator: The source of the random orders and samples.
    /// - Returns: Each target's elements, reordered.
    public func trainingOrders(
        of batch: PointerBatch, for targets: [[Int]], step: Int, training: SetOrderTraining,
        using generator: inout SeededGenerator
    ) -> [[Int]] {
        guard step >= training.warmupSteps else {
            checkSetTargets(targets, of: batch)
            return targets.map { $0.shuffled(using: &generator) }
        }
        return modelOrders(of: batch, for: targets, choice: training.choice, using: &generator)
    }

    /// Each target's elements in the order the model would emit them: decoding restricted,
    /// at every step, to the elements not yet emitted (no gradients are recorded).
    ///
    /// - Parameters:
    ///   - batch: The inputs.
    ///   - targets: For each example, the set of 0-based input positions (no repeats).
    ///   - choice: Sample the next element from the model's probabilities, or take the most
    ///     probable.
    ///   - generator: The source of the samples (unused for `mostProbable`).
    /// - Returns: Each target's elements, in the chosen order.
    public func modelOrders(
        of batch: PointerBatch, for targets: [[Int]], choice: SetOrderTraining.Choice,
        using generator: inout SeededGenerator
    ) -> [[Int]] {
        checkSetTargets(targets, of: batch)
        return withoutGradients {
            let encoding = encode(batch)
            let slotCount = encoding.slotCount
            var remaining = targets.map { Set($0.map { $0 + 1 }) }
            var orders = targets.map { _ in [Int]() }
            var lastSlots = [Int](repeating: 0, count: targets.count)
            var state = encoding.initialState
            for _ in 0..<(targets.map(\.count).max() ?? 0) {
                // Everything but the remaining elements is blocked (a finished row keeps
                // its end slot open so its row stays finite).
                var blocked = [Float](repeating: 1, count: targets.count * slotCount)
                for (row, slots) in remaining.enumerated() {
                    if slots.isEmpty { blocked[row * slotCount] = 0 }
                    for slot in slots { blocked[row * slotCount + slot] = 0 }
                }
                let (next, logProbabilities) = step(
                    encoding, examples: Array(targets.indices), inputSlots: lastSlots,
                    state: state,
                    blocked: Tensor(shape: [targets.count, slotCount], scalars: blocked))
                state = next
                let scores = logProbabilities.scalars
                for row in targets.indices where !remaining[row].isEmpty {
                    let candidates = remaining[row].sorted()
                    let logits = candidates.map { scores[row * slotCount + $0] }
                    let picked = candidates[
                        choice == .sampled
                            ? sampleIndex(logits, using: &generator)
                            : logits.indices.max { logits[$0] < logits[$1] } ?? 0]
                    remaining[row].remove(picked)
                    orders[row].append(picked - 1)
                    lastSlots[row] = picked
                }
            }
            return orders
        }
    }
}

/// Traps unless `targets` holds, for each example of `batch`, distinct positions inside it.
private func checkSetTargets(_ targets: [[Int]], of batch: PointerBatch) {
    precondition(
        targets.count == batch.count,
        "PointerNetwork: \(targets.count) set targets for \(batch.count) examples")
    for (row, target) in targets.enumerated() {
        precondition(
            PointerConstraint.noRepeats.allows(target, length: batch.lengths[row]),
            "PointerNetwork: target \(target) of example \(row) is not a set of positions of its \(batch.lengths[row]) elements"
        )
    }
}

/// An index drawn in proportion to `exp(logProbabilities)` (renormalised).
private func sampleIndex(_ logProbabilities: [Float], using generator: inout SeededGenerator)
    -> Int
{
    let maximum = logProbabilities.max() ?? 0
    let weights = logProbabilities.map { Double(exp($0 - maximum)) }
    var threshold = Double(generator.nextUnitFloat()) * weights.reduce(0, +)
    for (index, weight) in weights.enumerated() {
        threshold -= weight
        if threshold < 0 { return index }
    }
    return weights.count - 1
}
