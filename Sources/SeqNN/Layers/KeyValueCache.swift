import SeqTensor

/// The projected keys and values an attention layer has seen, kept between decoding steps.
///
/// For self attention the layer appends each step's keys and values; for cross attention
/// `MultiHeadAttention.projectedKeyValues(keys:values:)` projects the encoder output once and
/// every step reuses it. Keys are stored after rotary positions, if any, were applied.
///
/// Shapes: keys and values `[B, Hkv, S, headSize]` (`Hkv` key/value heads, `S` positions).
public struct KeyValueCache: Sendable {
    /// The cached keys, `[B, Hkv, S, headSize]`.
    public private(set) var keys: Tensor
    /// The cached values, `[B, Hkv, S, headSize]`.
    public private(set) var values: Tensor

    /// Creates a cache holding `keys` and `values`, both `[B, Hkv, S, headSize]`.
    public init(keys: Tensor, values: Tensor) {
        precondition(
            keys.rank == 4 && keys.shape == values.shape,
            "KeyValueCache: keys \(keys.shape) and values \(values.shape) must be equal [B, Hkv, S, headSize]"
        )
        self.keys = keys
        self.values = values
    }

    /// The number of cached positions, `S`.
    public var length: Int { keys.shape[2] }

    /// The batch size, `B`.
    public var batchSize: Int { keys.shape[0] }

    /// Appends the keys and values of one or more new positions, `[B, Hkv, T, headSize]`.
    public mutating func append(keys newKeys: Tensor, values newValues: Tensor) {
        precondition(
            newKeys.shape == newValues.shape && newKeys.rank == 4
                && Array(newKeys.shape.prefix(2)) == Array(keys.shape.prefix(2))
                && newKeys.shape[3] == keys.shape[3],
            "KeyValueCache.append: keys \(newKeys.shape) and values \(newValues.shape) do not extend \(keys.shape)"
        )
        keys = concatenate([keys, newKeys], axis: 2)
        values = concatenate([values, newValues], axis: 2)
    }

    /// Keeps batch rows `rows`, in that order (beam search reorders hypotheses this way).
    public mutating func reorder(rows: [Int32]) {
        keys = keys.indexSelect(axis: 0, indices: rows)
        values = values.indexSelect(axis: 0, indices: rows)
    }
}
