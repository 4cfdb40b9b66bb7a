import SeqTensor

/// A model that can be decoded one step at a time; search algorithms see models only
/// through this protocol.
///
/// Rows: `start` returns a state with one row per source. Search then keeps any number of
/// rows per source (beams) by calling `reorder(_:rows:)` with the row each new row copies,
/// e.g. `[0, 0, 0, 1, 1, 1]` for three beams over two sources. `step` consumes one token per
/// row and returns that row's next-token log-probabilities.
public protocol IncrementalDecoder {
    /// Per-row decoder state: key/value caches, recurrent states, encoder outputs.
    associatedtype State

    /// Number of entries of each row of log-probabilities.
    var vocabularySize: Int { get }
    /// The token every output starts with (fed to the first `step`).
    var startID: Int32 { get }
    /// The token that ends an output.
    var endID: Int32 { get }
    /// The token that fills positions after the end.
    var padID: Int32 { get }

    /// Encodes `sources` (token ids, without padding, each ending as the model expects) and
    /// returns the state for the first step, one row per source.
    func start(sources: [[Int32]]) -> State

    /// Feeds one token per row and returns log-probabilities over the vocabulary, shape
    /// `[rows, vocabularySize]`.
    func step(_ state: inout State, lastTokens: [Int32]) -> Tensor

    /// Rebuilds `state` so that new row `i` continues old row `rows[i]`.
    func reorder(_ state: inout State, rows: [Int])
}
