import SeqTensor

/// What an attention read returns: the blended values and the weights that blended them.
///
/// Legend: `B` batch, `T` queries per row, `S` keys, `Dv` value size. A layer called with one
/// query per row (`[B, Dq]`) returns `[B, Dv]` and `[B, S]`; with `T` queries per row
/// (`[B, T, Dq]`) it returns `[B, T, Dv]` and `[B, T, S]`.
public struct AttentionResult: Sendable {
    /// `Σ_j weights_j · values_j`: `[B, Dv]` or `[B, T, Dv]`.
    public let context: Tensor
    /// The softmax of the scores over the keys: `[B, S]` or `[B, T, S]`; exactly zero at
    /// blocked keys whenever a row has at least one allowed key.
    public let weights: Tensor

    /// Creates a result from its parts.
    public init(context: Tensor, weights: Tensor) {
        self.context = context
        self.weights = weights
    }
}
