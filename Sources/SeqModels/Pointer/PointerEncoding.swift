import SeqNN
import SeqTensor

// Legend: B batch, S the most elements of any example, E embedding size, H hidden size,
// A attention size.

/// A batch as the pointer decoder sees it, indexed by *slot*: slot 0 is the end of output
/// (and, as an input, the start), slot `j + 1` is input element `j`.
///
/// Slots `lengths[b] + 1 …` of row `b` are padding, masked everywhere. Decoding feeds the
/// decoder `inputs[b, slot]` of the slot chosen last and points at `memory[b, …]`.
public struct PointerEncoding: Sendable {
    /// The decoder's input for each slot, `[B, S + 1, E]`: the learned start vector in slot 0,
    /// element `j`'s embedding in slot `j + 1`.
    public let inputs: Tensor
    /// The memory pointed at, `[B, S + 1, H]`: the learned end key in slot 0, the encoding of
    /// element `j` in slot `j + 1`.
    public let memory: Tensor
    /// The pointer's projection of the memory, `[B, S + 1, A]`.
    public let pointerKeys: Tensor
    /// Each glimpse's projection of the memory, `[B, S + 1, A]` each.
    public let glimpseKeys: [Tensor]
    /// The number of elements `n` of each example.
    public let lengths: [Int]
    /// The decoder's first state, `[B, H]` each.
    public let initialState: LSTMState

    /// The number of slots `S + 1`, padding included.
    public var slotCount: Int { memory.shape[1] }

    /// Blocks the padding slots of each row, or `nil` when no row is padded.
    var paddingMask: AttentionMask? {
        lengths.allSatisfy { $0 + 1 == slotCount } ? nil : .keyLengths(lengths.map { $0 + 1 })
    }
}
