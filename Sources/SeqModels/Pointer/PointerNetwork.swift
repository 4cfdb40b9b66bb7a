import SeqNN
import SeqTensor

// Legend: B batch, S the most elements of any example, d element size, E embedding size,
// H hidden size, A attention size, T decoding steps.

/// A pointer network: a model whose outputs are positions in its input (Vinyals, Fortunato
/// and Jaitly, 2015), with either an LSTM encoder or Read–Process–Write (Vinyals, Bengio and
/// Kudlur, 2016).
///
/// - Embedding: each element (a number, a point) goes through `embedding`, a linear map
///   `d → E`; for Read–Process–Write this is the read block and the embeddings are the memory.
/// - Encoder: `lstm` runs `encoder` over the embeddings, whose outputs `e_j` are the memory and
///   whose final state (each row's own last element) starts the decoder; `readProcessWrite`
///   runs `setEncoder` (`P` process steps) over the memory, which is order-invariant.
/// - Decoder: an LSTM whose input at step `i` is the embedding of the element chosen at step
///   `i − 1` (`startInput`, a learned vector, at the first step). Its state `d_i`, refined by
///   `glimpseCount` glimpses, queries `pointer`: `u_j = vᵀ tanh(W_1 e_j + W_2 d_i)` over the
///   memory plus an end slot (`endKey`, a learned memory vector), and
///   `p(C_i | C_<i, P) = softmax(u)`.
///
/// Outputs are *slots*: slot 0 ends the output, slot `j + 1` is input position `j` (see
/// `PointerEncoding`). Training is teacher-forced cross-entropy over the slots
/// (`loss(_:targets:)`); decoding goes through any SeqDecode search via
/// `PointerSearchDecoder`, whose state enforces `config.constraint` (TSP tours, no repeats).
///
/// Initialisation: each layer's own (PyTorch's), `startInput` and `endKey` from
/// `U(-1/√size, 1/√size)`; with `config.initializationRange` `r`, every parameter is then
/// redrawn from `U(-r, r)` in path order.
public final class PointerNetwork: Module {
    /// The config the model was built from.
    public let config: PointerNetworkConfig
    /// The element embedding, `d → E` (the read block of Read–Process–Write).
    public let embedding: Linear
    /// The LSTM encoder `E → H` (`lstm` only).
    public let encoder: LSTMCell?
    /// The process block (`readProcessWrite` only).
    public let setEncoder: SetEncoder?
    /// The decoder LSTM `E → H`.
    public let decoder: LSTMCell
    /// The decoder's input at the first step, `[E]`.
    public let startInput: Parameter
    /// The memory vector of the end slot, `[H]`.
    public let endKey: Parameter
    /// The glimpses, applied in order to the decoder state before pointing.
    public let glimpses: [Glimpse]
    /// The pointer over the memory slots.
    public let pointer: PointerAttention

    /// Builds the model described by `config`, with weights drawn from `generator`.
    ///
    /// Traps with `validate()`'s message if `config` is invalid.
    public init(config: PointerNetworkConfig, using generator: inout SeededGenerator) {
        do {
            try config.validate()
        } catch {
            preconditionFailure("PointerNetwork: \(error)")
        }
        self.config = config
        let (embeddingSize, hiddenSize) = (config.effectiveEmbeddingSize, config.hiddenSize)
        let attentionSize = config.effectiveAttentionSize
        embedding = Linear(
            inputSize: config.elementSize, outputSize: embeddingSize, using: &generator)
        switch config.encoder {
        case .lstm:
            encoder = LSTMCell(
                inputSize: embeddingSize, hiddenSize: hiddenSize, using: &generator)
            setEncoder = nil
        case .readProcessWrite:
            encoder = nil
            setEncoder = SetEncoder(
                hiddenSize: hiddenSize, processSteps: config.processSteps, using: &generator)
        }
        decoder = LSTMCell(inputSize: embeddingSize, hiddenSize: hiddenSize, using: &generator)
        startInput = Parameter(uniformVector(embeddingSize, using: &generator))
        endKey = Parameter(uniformVector(hiddenSize, using: &generator))
        glimpses = (0..<config.glimpseCount).map { index in
            Glimpse(
                querySize: index == 0 ? hiddenSize : attentionSize, memorySize: hiddenSize,
                attentionSize: attentionSize, using: &generator)
        }
        pointer = PointerAttention(
            querySize: config.glimpseCount > 0 ? attentionSize : hiddenSize, keySize: hiddenSize,
            attentionSize: attentionSize, logitClip: config.logitClip, using: &generator)
        if let range = config.initializationRange {
            for parameter in parameters() {
                parameter.value = .uniform(parameter.shape, in: -range...range, using: &generator)
            }
        }
    }

    /// Encodes `batch`: embeddings, memory with the end slot, projected keys and the
    /// decoder's first state.
    ///
    /// - Parameter batch: Elements `[B, S, elementSize]` with their lengths.
    /// - Returns: The encoding, indexed by slot.
    public func encode(_ batch: PointerBatch) -> PointerEncoding {
        precondition(
            batch.elementSize == config.elementSize,
            "PointerNetwork: elements of size \(batch.elementSize), the model expects \(config.elementSize)"
        )
        let (rows, hiddenSize) = (batch.count, config.hiddenSize)
        let embedded = embedding(batch.elements)  // [B, S, E]
        let outputs: Tensor
        let state: LSTMState
        if let encoder {
            (outputs, state) = encodeSequence(embedded, lengths: batch.lengths, cell: encoder)
        } else if let setEncoder {
            outputs = embedded
            state = setEncoder(embedded, lengths: batch.lengths).decoderState
        } else {
            preconditionFailure("PointerNetwork: no encoder")
        }
        let start = startInput.value.reshaped([1, 1, -1]).expanded(
            to: [rows, 1, config.effectiveEmbeddingSize])
        let end = endKey.value.reshaped([1, 1, -1]).expanded(to: [rows, 1, hiddenSize])
        let memory = concatenate([end, outputs], axis: 1)  // [B, S + 1, H]
        return PointerEncoding(
            inputs: concatenate([start, embedded], axis: 1), memory: memory,
            pointerKeys: pointer.projectedKeys(memory),
            glimpseKeys: glimpses.map { $0.projectedKeys(memory) }, lengths: batch.lengths,
            initialState: state)
    }

    /// The pointer's query for decoder states `[R, H]` or `[R, T, H]`: the state refined by
    /// every glimpse in turn.
    func pointingQueries(_ states: Tensor, glimpseKeys: [Tensor], mask: AttentionMask?)
        -> Tensor
    {
        var query = states
        for (glimpse, keys) in zip(glimpses, glimpseKeys) {
            query = glimpse(query, projectedKeys: keys, mask: mask).context
        }
        return query
    }

    /// Runs `cell` over `embedded` (`[B, S, E]`) as one fused sequence op; each row's final
    /// state is taken at its own last element, so padding never reaches it.
    private func encodeSequence(_ embedded: Tensor, lengths: [Int], cell: LSTMCell)
        -> (outputs: Tensor, state: LSTMState)
    {
        let padded = !lengths.allSatisfy { $0 == embedded.shape[1] }
        return runFused(
            cell, over: embedded, from: cell.zeroState(batchSize: embedded.shape[0]),
            lengths: padded ? lengths : nil)
    }
}

/// `cell` over every step of `input` (`[B, T, E]`) from `state`, as one fused op
/// (`Tensor.lstmSequence`): the states after every step `[B, T, H]` (zero past each length)
/// and the state after each row's last step.
func runFused(_ cell: LSTMCell, over input: Tensor, from state: LSTMState, lengths: [Int]?)
    -> (outputs: Tensor, state: LSTMState)
{
    var bias: Tensor? = nil
    if let inputBias = cell.inputBias, let recurrentBias = cell.recurrentBias {
        bias = inputBias.value + recurrentBias.value
    }
    let result = input.lstmSequence(
        initialHidden: state.hidden, initialCell: state.cell,
        inputWeight: cell.inputWeight.value, recurrentWeight: cell.recurrentWeight.value,
        bias: bias, lengths: lengths)
    return (result.output, LSTMState(hidden: result.hidden, cell: result.cell ?? state.cell))
}

/// `[size]` values from `U(-1/√size, 1/√size)`.
private func uniformVector(_ size: Int, using generator: inout SeededGenerator) -> Tensor {
    let bound = 1 / Float(size).squareRoot()
    return .uniform([size], in: -bound...bound, using: &generator)
}
