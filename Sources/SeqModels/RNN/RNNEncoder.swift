import SeqNN
import SeqTensor

// Legend: B batch, S source positions, I input size, L layers, H state size per direction,
// D = directions · H.

/// What `RNNEncoder` returns for a batch of sources.
///
/// Shapes: `outputs` `[B, S, D]`, zero at padded positions; `finalStates` `[L, B, D]`, each
/// layer's two directions concatenated (forward first).
public struct RNNEncoding: Sendable {
    /// The top layer's state at every position, both directions concatenated, `[B, S, D]`.
    public let outputs: Tensor
    /// The number of real positions in each row.
    public let lengths: [Int]
    /// For each layer, its state after the last real position of each row (the forward
    /// direction) and after the first (the backward direction), concatenated, `[L, B, D]`.
    public let finalStates: RecurrentStates
}

/// Stacked recurrent layers over the embedded source, each optionally bidirectional: one
/// fused `LSTM` or `GRU` (`rnn`).
///
/// Layer `l + 1` reads layer `l`'s outputs (both directions concatenated) after dropout.
/// Padding never changes a row's result, as with PyTorch's packed sequences: the forward
/// direction stops at each row's last real position, the backward direction starts there,
/// and the outputs at padded positions are zero.
///
/// Parameters: `rnn.weight_ih_l0`, `rnn.weight_hh_l0`, `rnn.bias_ih_l0`, `rnn.bias_hh_l0`,
/// `rnn.…_l0_reverse`, `rnn.…_l1`, …, as PyTorch's `nn.LSTM` and `nn.GRU` name them.
public final class RNNEncoder: Module {
    /// The stacked layers.
    let rnn: any RecurrentStack

    /// The size `D` of each output: directions × state size.
    public var outputSize: Int { rnn.hiddenSize * rnn.directionCount }

    /// Builds the encoder `config` describes over inputs of `config.embeddingSize`.
    init(config: RNNConfig, using generator: inout SeededGenerator) {
        rnn = config.makeStack(
            inputSize: config.embeddingSize, hiddenSize: config.effectiveEncoderHiddenSize,
            layers: config.encoderLayerCount, bidirectional: config.bidirectional,
            using: &generator)
    }

    /// Encodes embedded, right-padded sources.
    ///
    /// - Parameters:
    ///   - input: The embedded sources, `[B, S, I]`.
    ///   - lengths: The number of real positions in each row, each in `0...S`.
    /// - Returns: The outputs `[B, S, D]` and each layer's final state `[L, B, D]`.
    public func callAsFunction(_ input: Tensor, lengths: [Int]) -> RNNEncoding {
        precondition(
            input.rank == 3 && input.shape[0] == lengths.count,
            "RNNEncoder: input \(input.shape) must be [B, S, I] with B = \(lengths.count) lengths"
        )
        let padded = lengths.contains { $0 < input.shape[1] }
        let (outputs, states) = rnn.run(input, initial: nil, lengths: padded ? lengths : nil)
        return RNNEncoding(
            outputs: outputs, lengths: lengths,
            finalStates: states.directionsConcatenated(rnn.directionCount))
    }
}
