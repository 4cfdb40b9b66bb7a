import SeqNN
import SeqTensor

// Legend: B batch rows, S source positions, E embedding size, H decoder state size,
// D encoder output size, A projected key size.

/// An attention layer an RNN decoder can read the encoder outputs with: `AdditiveAttention`
/// or `LuongAttention`.
public protocol RNNAttention: Module {
    /// The key side of the score, computed once per source: `[B, S, D]` → `[B, S, A]`.
    func projectedKeys(_ keys: Tensor) -> Tensor
    /// Attends from `queries` (`[B, H]`) over keys from `projectedKeys(_:)`, blending `values`
    /// (`[B, S, D]`); blocked keys get weight zero.
    func callAsFunction(
        _ queries: Tensor, projectedKeys: Tensor, values: Tensor, mask: AttentionMask?
    ) -> AttentionResult
}

extension AdditiveAttention: RNNAttention {}
extension LuongAttention: RNNAttention {}

/// The encoder outputs a decoder attends over, prepared once per batch of sources.
///
/// Shapes: `values` `[B, S, D]`; `keys` `[B, S, A]`; `mask` an additive `[B, 1, 1, S]` bias
/// blocking padded positions, or `nil` when no row is padded.
struct AttentionMemory {
    /// The encoder outputs.
    var values: Tensor
    /// The keys projected by the attention layer.
    var keys: Tensor
    /// The padding bias.
    var mask: AttentionMask?
    /// The real length of each row's source.
    var lengths: [Int]

    /// Projects `encoding.outputs` for `attention`.
    init(_ encoding: RNNEncoding, attention: any RNNAttention) {
        values = encoding.outputs
        keys = attention.projectedKeys(encoding.outputs)
        lengths = encoding.lengths
        mask = keyPaddingMask(lengths: lengths, keyCount: values.shape[1])
    }

    /// Rows `rows` of the memory, in that order.
    func selectingRows(_ rows: [Int32]) -> AttentionMemory {
        var copy = self
        copy.values = values.indexSelect(axis: 0, indices: rows)
        copy.keys = keys.indexSelect(axis: 0, indices: rows)
        copy.lengths = rows.map { lengths[Int($0)] }
        copy.mask = keyPaddingMask(lengths: copy.lengths, keyCount: values.shape[1])
        return copy
    }
}

/// What the decoder carries from one step to the next.
///
/// Shapes: `rnn` `[L, B, H]` (each part); `attentional` `[B, H]` with input feeding, else
/// `nil`.
public struct RNNDecoderState: Sendable {
    /// Every layer's recurrent state, or `nil` for zeros (before the first step without a
    /// bridge).
    public var rnn: RecurrentStates?
    /// The previous step's attentional vector `h̃_{t−1}` (zeros before the first step), fed
    /// with the next input; `nil` without input feeding.
    public var attentional: Tensor?

    /// Batch rows `rows` of the state, in that order.
    func selectingRows(_ rows: [Int32]) -> RNNDecoderState {
        RNNDecoderState(
            rnn: rnn?.selectingRows(rows),
            attentional: attentional?.indexSelect(axis: 0, indices: rows))
    }
}

/// The decoder of `RNNSeq2Seq`: stacked recurrent layers (one fused `LSTM` or `GRU`), then
/// (optionally) Luong-style attention over the encoder outputs.
///
/// One step, with `x_t` the embedded previous token:
/// ```
/// input = [x_t ; h̃_{t−1}]   (input feeding)   or   x_t
/// h_t   = stacked layers (dropout between layers)
/// c_t   = attention(query h_t, keys/values h̄_s)        h̃_t = tanh(W_c [c_t ; h_t])
/// out_t = h̃_t   (with attention)   or   h_t   (without)
/// ```
/// The attention's query is the *current* top state, as in Luong and others, for every score
/// (`additive` uses Bahdanau's score inside this scheme, as OpenNMT's `mlp` attention).
/// Without input feeding, teacher forcing runs the layers over all target positions at once
/// and attends from all of them in one batch.
///
/// Parameters: `rnn.weight_ih_l0`, … (PyTorch's `nn.LSTM` / `nn.GRU` names), `attention`, and
/// `attentionOutput` (`W_c`, `[H, D + H]`, no bias).
public final class RNNDecoder: Module {
    /// The stacked layers.
    let rnn: any RecurrentStack
    /// The attention layer, or `nil` without attention.
    public let attention: (any RNNAttention)?
    /// `W_c`, mapping `[c_t ; h_t]` to the attentional vector; `nil` without attention.
    public let attentionOutput: Linear?
    /// Whether `h̃_{t−1}` is concatenated to each step's input.
    public let inputFeeding: Bool

    /// The size `H` of each layer's state and of each step's output.
    public var hiddenSize: Int { rnn.hiddenSize }

    /// Builds the decoder `config` describes.
    init(config: RNNConfig, using generator: inout SeededGenerator) {
        rnn = config.makeStack(
            inputSize: config.decoderInputSize, hiddenSize: config.hiddenSize,
            layers: config.decoderLayerCount, bidirectional: false, using: &generator)
        let (hidden, memory) = (config.hiddenSize, config.encoderOutputSize)
        switch config.attention {
        case .none: attention = nil
        case .additive:
            attention = AdditiveAttention(
                querySize: hidden, keySize: memory, attentionSize: config.attentionSize ?? hidden,
                using: &generator)
        case .dot:
            attention = LuongAttention(
                querySize: hidden, keySize: memory, score: .dot, using: &generator)
        case .general:
            attention = LuongAttention(
                querySize: hidden, keySize: memory, score: .general, using: &generator)
        }
        attentionOutput =
            config.attention == .none
            ? nil
            : Linear(inputSize: memory + hidden, outputSize: hidden, bias: false, using: &generator)
        inputFeeding = config.effectiveInputFeeding
    }

    /// The state before the first step: `initial` layer states `[L, B, H]` (`nil` for
    /// zeros), and a zero attentional vector with input feeding.
    func startState(rows: Int, initial: RecurrentStates?) -> RNNDecoderState {
        RNNDecoderState(rnn: initial, attentional: inputFeeding ? .zeros([rows, hiddenSize]) : nil)
    }

    /// Advances `state` by one step on the embedded previous tokens.
    ///
    /// - Parameters:
    ///   - embedded: The embedded previous token of each row, `[B, E]`.
    ///   - state: The state after the previous step; updated.
    ///   - memory: The prepared encoder outputs; required when the decoder has attention.
    /// - Returns: The step's output `out_t`, `[B, H]`, and the attention weights over the
    ///   source positions, `[B, S]` (`nil` without attention).
    func step(_ embedded: Tensor, state: inout RNNDecoderState, memory: AttentionMemory?)
        -> (output: Tensor, weights: Tensor?)
    {
        let input = state.attentional.map { concatenate([embedded, $0], axis: 1) } ?? embedded
        let (output, states) = rnn.run(input.unsqueezed(axis: 1), initial: state.rnn, lengths: nil)
        state.rnn = states
        let top = output.squeezed(axis: 1)
        guard attention != nil else { return (top, nil) }
        let (attentional, weights) = attend(top, memory: memory)
        if inputFeeding { state.attentional = attentional }
        return (attentional, weights)
    }

    /// The outputs `out_t` for every position of embedded targets `[B, T, E]` from `state`
    /// (teacher forcing), `[B, T, H]`.
    func outputs(_ embedded: Tensor, state: RNNDecoderState, memory: AttentionMemory?) -> Tensor {
        guard inputFeeding else {
            let (top, _) = rnn.run(embedded, initial: state.rnn, lengths: nil)
            return attention == nil ? top : attend(top, memory: memory).output
        }
        var state = state
        let (batch, size) = (embedded.shape[0], embedded.shape[2])
        let steps = embedded.transposed(0, 1).split(count: embedded.shape[1], axis: 0).map {
            $0.reshaped([batch, size])
        }
        return stack(steps.map { step($0, state: &state, memory: memory).output }, axis: 1)
    }

    /// `tanh(W_c [c ; h])` for top states `h` (`[B, H]` or `[B, T, H]`) and their contexts,
    /// with the attention weights that blended the contexts (`[B, S]` or `[B, T, S]`).
    private func attend(_ top: Tensor, memory: AttentionMemory?) -> (
        output: Tensor, weights: Tensor
    ) {
        guard let attention, let attentionOutput, let memory else {
            preconditionFailure("RNNDecoder: the decoder attends, but no memory was given")
        }
        let read = attention(
            top, projectedKeys: memory.keys, values: memory.values, mask: memory.mask)
        return (attentionOutput(concatenate([read.context, top], axis: -1)).tanh(), read.weights)
    }
}
