import SeqNN
import SeqTensor

// Legend: B batch rows, D encoder state size (directions concatenated), H decoder state size.

/// Maps the encoder's final states onto the decoder's initial states (`RNNConfig.Bridge`).
///
/// - `none`: the decoder starts from zeros;
/// - `copy`: decoder layer `l` starts from encoder layer `l`'s final `[→h ; ←h]` (and cell);
/// - `linear`: `h = tanh(W_h [→h ; ←h] + b_h)` and, for an LSTM, `c = W_c [→c ; ←c] + b_c`,
///   with `W_h` (`hidden`) and `W_c` (`cell`) shared by all layers.
public final class RNNBridge: Module {
    /// Which mapping this is.
    public let kind: RNNConfig.Bridge
    /// `W_h` and `b_h`, `[H, D]` and `[H]`, for `linear` only.
    public let hidden: Linear?
    /// `W_c` and `b_c`, `[H, D]` and `[H]`, for `linear` with LSTM cells only.
    public let cell: Linear?

    /// Builds the bridge `config` describes.
    init(config: RNNConfig, using generator: inout SeededGenerator) {
        kind = config.bridge
        guard config.bridge == .linear else {
            hidden = nil
            cell = nil
            return
        }
        hidden = Linear(
            inputSize: config.encoderOutputSize, outputSize: config.hiddenSize, using: &generator)
        cell =
            config.cell == .lstm
            ? Linear(
                inputSize: config.encoderOutputSize, outputSize: config.hiddenSize,
                using: &generator)
            : nil
    }

    /// The decoder's initial layer states, or `nil` (zeros) for `none`.
    ///
    /// - Parameter finalStates: The encoder's final state of each layer, `[L, B, D]`.
    /// - Returns: The decoder layers' states, `[L, B, H]`.
    func initialStates(_ finalStates: RecurrentStates) -> RecurrentStates? {
        switch kind {
        case .none: return nil
        case .copy: return finalStates
        case .linear:
            guard let hidden else { return nil }
            return RecurrentStates(
                hidden: hidden(finalStates.hidden).tanh(),
                cell: cell.flatMap { cell in finalStates.cell.map { cell($0) } })
        }
    }
}
