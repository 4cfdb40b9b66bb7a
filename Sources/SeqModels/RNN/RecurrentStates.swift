import SeqNN
import SeqTensor

// Legend: N stacked states, L layers, B batch rows, H state size.

/// The states of stacked recurrent layers, as `LSTM` and `GRU` take and return them.
///
/// Shapes: `hidden` `[N, B, H]`; `cell` the same for an LSTM, `nil` for a GRU. Straight from
/// a layer, `N` is layers × directions (layer by layer, forward first); after
/// `directionsConcatenated(_:)`, `N` is the layer count and `H` holds both directions.
public struct RecurrentStates: Sendable {
    /// The hidden states `h`.
    public var hidden: Tensor
    /// The LSTM memory cells `c`, or `nil` for a GRU.
    public var cell: Tensor?

    /// Creates states from their parts.
    public init(hidden: Tensor, cell: Tensor?) {
        precondition(
            hidden.rank == 3 && (cell == nil || cell?.shape == hidden.shape),
            "RecurrentStates: hidden \(hidden.shape) must be [N, B, H] and cell \(cell?.shape ?? []) match it"
        )
        self.hidden = hidden
        self.cell = cell
    }

    /// `f` applied to the hidden states and the cells alike.
    func map(_ f: (Tensor) -> Tensor) -> RecurrentStates {
        RecurrentStates(hidden: f(hidden), cell: cell.map(f))
    }

    /// Batch rows `rows` of every state, in that order.
    func selectingRows(_ rows: [Int32]) -> RecurrentStates {
        map { $0.indexSelect(axis: 1, indices: rows) }
    }

    /// `[L · directions, B, H]` → `[L, B, directions · H]`: each layer's directions joined
    /// along the features, forward first.
    func directionsConcatenated(_ directionCount: Int) -> RecurrentStates {
        guard directionCount > 1 else { return self }
        return map { states in
            let (count, batch, size) = (states.shape[0], states.shape[1], states.shape[2])
            return states.reshaped([count / directionCount, directionCount, batch, size])
                .permuted([0, 2, 1, 3])
                .reshaped([count / directionCount, batch, directionCount * size])
        }
    }
}

/// Stacked recurrent layers the RNN models run: `LSTM` or `GRU`.
protocol RecurrentStack: Module {
    /// The state size of each direction.
    var hiddenSize: Int { get }
    /// 2 when bidirectional, else 1.
    var directionCount: Int { get }
    /// Runs every layer over `input` (`[B, T, I]`) from `initial` (zeros when `nil`), each row
    /// stopping at its length; returns the last layer's output `[B, T, directions · H]` and
    /// the final states `[layers · directions, B, H]`.
    func run(_ input: Tensor, initial: RecurrentStates?, lengths: [Int]?)
        -> (output: Tensor, states: RecurrentStates)
}

extension LSTM: RecurrentStack {
    func run(_ input: Tensor, initial: RecurrentStates?, lengths: [Int]?)
        -> (output: Tensor, states: RecurrentStates)
    {
        let start = initial.map {
            LSTMState(hidden: $0.hidden, cell: $0.cell ?? .zeros($0.hidden.shape))
        }
        let (output, state) = self(input, initialState: start, lengths: lengths)
        return (output, RecurrentStates(hidden: state.hidden, cell: state.cell))
    }
}

extension GRU: RecurrentStack {
    func run(_ input: Tensor, initial: RecurrentStates?, lengths: [Int]?)
        -> (output: Tensor, states: RecurrentStates)
    {
        let (output, hidden) = self(input, initialHidden: initial?.hidden, lengths: lengths)
        return (output, RecurrentStates(hidden: hidden, cell: nil))
    }
}

extension RNNConfig {
    /// Fresh stacked layers of the configured cell, with `dropout` between layers.
    func makeStack(
        inputSize: Int, hiddenSize: Int, layers: Int, bidirectional: Bool,
        using generator: inout SeededGenerator
    ) -> any RecurrentStack {
        switch cell {
        case .lstm:
            LSTM(
                inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
                bidirectional: bidirectional, dropout: dropout, using: &generator)
        case .gru:
            GRU(
                inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
                bidirectional: bidirectional, dropout: dropout, using: &generator)
        }
    }
}
