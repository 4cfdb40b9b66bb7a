import SeqNN
import SeqTensor

// Legend: B batch, S source positions, I input size, H state size per direction,
// D = directions · H.

/// What `RNNEncoder` returns for a batch of sources.
///
/// Shapes: `outputs` `[B, S, D]`, zero at padded positions; each of `finalStates` (one per
/// layer) `[B, D]`, both directions concatenated (forward first).
public struct RNNEncoding: Sendable {
    /// The top layer's state at every position, both directions concatenated, `[B, S, D]`.
    public let outputs: Tensor
    /// The number of real positions in each row.
    public let lengths: [Int]
    /// For each layer, its state after the last real position of each row (the forward
    /// direction) and after the first (the backward direction), concatenated, `[B, D]`.
    public let finalStates: [RecurrentLayerState]
}

/// Stacked recurrent layers over the embedded source, each optionally bidirectional.
///
/// Layer `l + 1` reads layer `l`'s outputs (both directions concatenated) after dropout.
/// Padding never changes a row's result: the forward direction holds each row's state once
/// its last real position is read, the backward direction starts at that position, and the
/// outputs at padded positions are zero, as PyTorch's packed sequences give.
///
/// Parameters: `forward.<l>` and `backward.<l>` cells, named as PyTorch's `LSTMCell` and
/// `GRUCell` (`weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`).
public final class RNNEncoder: Module {
    /// For each layer, the cell reading left to right.
    let forward: [any RecurrentStepping]
    /// For each layer, the cell reading right to left; empty when unidirectional.
    let backward: [any RecurrentStepping]
    /// Dropout on the outputs of every layer but the last.
    public let dropout: Dropout

    /// The number of stacked layers.
    public var layerCount: Int { forward.count }
    /// The size `D` of each output: directions × state size.
    public var outputSize: Int { forward[0].hiddenSize * (backward.isEmpty ? 1 : 2) }

    /// Builds the encoder `config` describes over inputs of `config.embeddingSize`.
    init(config: RNNConfig, using generator: inout SeededGenerator) {
        let size = config.effectiveEncoderHiddenSize
        var forward: [any RecurrentStepping] = []
        var backward: [any RecurrentStepping] = []
        for layer in 0..<config.encoderLayerCount {
            let inputSize = layer == 0 ? config.embeddingSize : config.encoderOutputSize
            forward.append(
                config.makeCell(inputSize: inputSize, hiddenSize: size, using: &generator))
            if config.bidirectional {
                backward.append(
                    config.makeCell(inputSize: inputSize, hiddenSize: size, using: &generator))
            }
        }
        self.forward = forward
        self.backward = backward
        dropout = Dropout(probability: config.dropout, using: &generator)
    }

    /// Encodes embedded, right-padded sources.
    ///
    /// - Parameters:
    ///   - input: The embedded sources, `[B, S, I]`.
    ///   - lengths: The number of real positions in each row, each in `0...S`.
    /// - Returns: The outputs `[B, S, D]` and each layer's final state.
    public func callAsFunction(_ input: Tensor, lengths: [Int]) -> RNNEncoding {
        precondition(
            input.rank == 3 && input.shape[0] == lengths.count
                && lengths.allSatisfy { (0...input.shape[1]).contains($0) },
            "RNNEncoder: input \(input.shape) must be [B, S, I] with \(lengths.count) lengths in 0...S, got \(lengths)"
        )
        let (batch, length) = (input.shape[0], input.shape[1])
        // keep[t] is [B, 1]: 1 where position t is real; nil when every row is real there.
        let keep: [Tensor?] = (0..<length).map { position in
            guard lengths.contains(where: { $0 <= position }) else { return nil }
            return Tensor(shape: [batch, 1], scalars: lengths.map { position < $0 ? 1 : 0 })
        }
        var x = input
        var finalStates: [RecurrentLayerState] = []
        for layer in 0..<layerCount {
            if layer > 0 { x = dropout(x) }
            let steps = timeSteps(x)
            var (outputs, final) = run(forward[layer], steps: steps, keep: keep, reversed: false)
            var states = [final]
            if !backward.isEmpty {
                let reverse = run(backward[layer], steps: steps, keep: keep, reversed: true)
                outputs = concatenate([outputs, reverse.outputs], axis: 2)
                states.append(reverse.final)
            }
            x = outputs
            finalStates.append(RecurrentLayerState.concatenated(states))
        }
        return RNNEncoding(outputs: x, lengths: lengths, finalStates: finalStates)
    }

    /// Runs `cell` over `steps` in one direction from the zero state, holding each row's state
    /// at its padded positions; returns the outputs `[B, S, H]` (zero at padding) and the
    /// final state.
    private func run(
        _ cell: any RecurrentStepping, steps: [Tensor], keep: [Tensor?], reversed: Bool
    ) -> (outputs: Tensor, final: RecurrentLayerState) {
        var state = cell.zeroState(rows: steps[0].shape[0])
        var outputs = [Tensor](repeating: Tensor(0), count: steps.count)
        let order = reversed ? Array(steps.indices.reversed()) : Array(steps.indices)
        for position in order {
            let next = cell.step(steps[position], state)
            if let mask = keep[position] {
                state = next.kept(where: mask, otherwise: state)
                outputs[position] = select(where: mask, next.hidden, Tensor(0))
            } else {
                state = next
                outputs[position] = next.hidden
            }
        }
        return (stack(outputs, axis: 1), state)
    }
}

/// The inputs of each time step of `x` (`[B, S, I]`): `S` tensors `[B, I]`.
func timeSteps(_ x: Tensor) -> [Tensor] {
    let (batch, size) = (x.shape[0], x.shape[2])
    return x.transposed(0, 1).split(count: x.shape[1], axis: 0).map {
        $0.reshaped([batch, size])
    }
}
