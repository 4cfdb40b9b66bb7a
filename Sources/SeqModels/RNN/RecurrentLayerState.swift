import SeqNN
import SeqTensor

// Legend: B batch rows, H state size.

/// The state one recurrent layer carries from one time step to the next.
///
/// Shapes: `hidden` `[B, H]`; `cell` `[B, H]` for an LSTM, `nil` for a GRU.
public struct RecurrentLayerState: Sendable {
    /// The hidden state `h`, which is also the layer's output.
    public var hidden: Tensor
    /// The LSTM memory cell `c`, or `nil` for a GRU.
    public var cell: Tensor?

    /// Creates a state from its parts.
    public init(hidden: Tensor, cell: Tensor?) {
        precondition(
            hidden.rank == 2 && (cell == nil || cell?.shape == hidden.shape),
            "RecurrentLayerState: hidden \(hidden.shape) must be [B, H] and cell \(cell?.shape ?? []) match it"
        )
        self.hidden = hidden
        self.cell = cell
    }

    /// `self` where `keep` (`[B, 1]`, 1 or 0) is 1, `previous` where it is 0; exact, so a row
    /// that is held keeps its state bit for bit.
    func kept(where keep: Tensor, otherwise previous: RecurrentLayerState) -> RecurrentLayerState {
        RecurrentLayerState(
            hidden: select(where: keep, hidden, previous.hidden),
            cell: cell.map { cell in previous.cell.map { select(where: keep, cell, $0) } ?? cell })
    }

    /// Rows `rows` of the state, in that order.
    func selectingRows(_ rows: [Int32]) -> RecurrentLayerState {
        RecurrentLayerState(
            hidden: hidden.indexSelect(axis: 0, indices: rows),
            cell: cell?.indexSelect(axis: 0, indices: rows))
    }

    /// The states of two directions joined along the features, `[B, H₁ + H₂]`.
    static func concatenated(_ parts: [RecurrentLayerState]) -> RecurrentLayerState {
        let cells = parts.compactMap(\.cell)
        return RecurrentLayerState(
            hidden: concatenate(parts.map(\.hidden), axis: 1),
            cell: cells.count == parts.count ? concatenate(cells, axis: 1) : nil)
    }
}

/// A recurrent cell the RNN models step through time: `LSTMCell` or `GRUCell`.
protocol RecurrentStepping: Module {
    /// The size of the state.
    var hiddenSize: Int { get }
    /// Advances `state` by one step on `input` (`[B, inputSize]`).
    func step(_ input: Tensor, _ state: RecurrentLayerState) -> RecurrentLayerState
    /// The all-zero state for `rows` rows.
    func zeroState(rows: Int) -> RecurrentLayerState
}

extension LSTMCell: RecurrentStepping {
    func step(_ input: Tensor, _ state: RecurrentLayerState) -> RecurrentLayerState {
        let next = self(
            input,
            state: LSTMState(hidden: state.hidden, cell: state.cell ?? .zeros(state.hidden.shape)))
        return RecurrentLayerState(hidden: next.hidden, cell: next.cell)
    }

    func zeroState(rows: Int) -> RecurrentLayerState {
        RecurrentLayerState(hidden: .zeros([rows, hiddenSize]), cell: .zeros([rows, hiddenSize]))
    }
}

extension GRUCell: RecurrentStepping {
    func step(_ input: Tensor, _ state: RecurrentLayerState) -> RecurrentLayerState {
        RecurrentLayerState(hidden: self(input, hidden: state.hidden), cell: nil)
    }

    func zeroState(rows: Int) -> RecurrentLayerState {
        RecurrentLayerState(hidden: .zeros([rows, hiddenSize]), cell: nil)
    }
}

extension RNNConfig {
    /// A fresh cell of the configured kind.
    func makeCell(inputSize: Int, hiddenSize: Int, using generator: inout SeededGenerator)
        -> any RecurrentStepping
    {
        switch cell {
        case .lstm: LSTMCell(inputSize: inputSize, hiddenSize: hiddenSize, using: &generator)
        case .gru: GRUCell(inputSize: inputSize, hiddenSize: hiddenSize, using: &generator)
        }
    }
}
