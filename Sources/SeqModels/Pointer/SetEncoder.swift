import SeqNN
import SeqTensor

// Legend: B batch, S memory positions, H hidden size.

/// The process block of Read–Process–Write (Vinyals, Bengio and Kudlur, 2016): an LSTM
/// without external input that attends over a memory for a fixed number of steps.
///
/// With `m_i` the memory (the read block's per-element embeddings), for `t = 1 … P`:
/// ```
/// q_t     = LSTM(q*_{t−1})              (the previous readout is the LSTM's input)
/// a_{i,t} = softmax_i(m_i · q_t)        (dot-product scores, padding masked)
/// r_t     = Σ_i a_{i,t} m_i
/// q*_t    = [q_t ; r_t]
/// ```
/// `q*_0` and the initial LSTM state are zeros (the paper gives none). Permuting the `m_i`
/// permutes the weights and leaves every `r_t`, hence `q*_P`, unchanged: the encoding does
/// not depend on the order of the set, up to floating-point summation order. `P = 0` gives
/// zeros.
///
/// The write block (a pointer decoder) starts from `h_0 = tanh(W_b q*_P + b_b)` and
/// `c_0 = c_P`, the process LSTM's last cell state; `W_b` is `bridge`. The paper does not say
/// how `q*_P` becomes the decoder's state; this choice is ours.
///
/// Shapes: memory `[B, S, H]`; readout `[B, 2H]`; decoder state `[B, H]` each.
/// Initialisation: `process` as `LSTMCell` (`U(-1/√H, 1/√H)`), then `bridge` as `Linear`.
public final class SetEncoder: Module {
    /// The process LSTM, input `2H`, state `H`.
    public let process: LSTMCell
    /// `W_b` and `b_b`, `[H, 2H]` and `[H]`: the readout to the decoder's first hidden state.
    public let bridge: Linear
    /// Dot-product attention over the memory (no parameters).
    public let attention: LuongAttention
    /// The number `P` of process steps.
    public let processSteps: Int

    /// The size `H` of the memory vectors and states.
    public var hiddenSize: Int { process.hiddenSize }

    /// What the process block leaves for the write block.
    public struct Encoding: Sendable {
        /// `q*_P`, `[B, 2H]`: zeros when `P = 0`.
        public let readout: Tensor
        /// The write block's first state: `h_0 = tanh(W_b q*_P + b_b)`, `c_0 = c_P`.
        public let decoderState: LSTMState
    }

    /// Creates the block with weights drawn from `generator`.
    ///
    /// - Parameters:
    ///   - hiddenSize: Size `H` of the memory vectors and of the LSTM state.
    ///   - processSteps: The number `P ≥ 0` of process steps.
    ///   - generator: The source of the initial weights.
    public init(hiddenSize: Int, processSteps: Int, using generator: inout SeededGenerator) {
        precondition(
            hiddenSize > 0 && processSteps >= 0,
            "SetEncoder: hiddenSize must be positive and processSteps ≥ 0, got \(hiddenSize) and \(processSteps)"
        )
        process = LSTMCell(inputSize: 2 * hiddenSize, hiddenSize: hiddenSize, using: &generator)
        bridge = Linear(inputSize: 2 * hiddenSize, outputSize: hiddenSize, using: &generator)
        attention = LuongAttention(
            querySize: hiddenSize, keySize: hiddenSize, score: .dot, using: &generator)
        self.processSteps = processSteps
    }

    /// Runs the `P` process steps over `memory`.
    ///
    /// - Parameters:
    ///   - memory: `[B, S, H]`; row `b` has `lengths[b]` real positions, the rest padding.
    ///   - lengths: The number of real positions of each row (each at least 1).
    /// - Returns: The readout `q*_P` and the write block's first state.
    public func callAsFunction(_ memory: Tensor, lengths: [Int]) -> Encoding {
        precondition(
            memory.rank == 3 && memory.shape[2] == hiddenSize && memory.shape[0] == lengths.count,
            "SetEncoder: memory \(memory.shape) must be [\(lengths.count), S, \(hiddenSize)]")
        let batch = lengths.count
        let mask: AttentionMask? =
            lengths.allSatisfy { $0 == memory.shape[1] } ? nil : .keyLengths(lengths)
        var state = process.zeroState(batchSize: batch)
        var readout = Tensor.zeros([batch, 2 * hiddenSize])
        for _ in 0..<processSteps {
            state = process(readout, state: state)
            let read = attention(state.hidden, keys: memory, values: memory, mask: mask)
            readout = concatenate([state.hidden, read.context], axis: 1)
        }
        return Encoding(
            readout: readout,
            decoderState: LSTMState(hidden: bridge(readout).tanh(), cell: state.cell))
    }
}
