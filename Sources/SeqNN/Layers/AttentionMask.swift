import SeqTensor

/// Which keys each query may attend to: a causal rule, key padding, and an additive bias,
/// in any combination.
///
/// Blocked positions get the score `AttentionMask.blockedScore` (a large negative finite
/// number) instead of `−∞`, so a row whose keys are all blocked (a padded query) yields finite
/// weights rather than NaN, while in every row with at least one allowed key the blocked keys
/// get a weight of exactly zero after the softmax, whatever their values.
///
/// Legend: `B` batch, `T` queries, `S` keys (cached keys included).
///
/// ```swift
/// let mask = AttentionMask.causal.combined(with: .keyLengths([5, 3]))
/// ```
public struct AttentionMask: Sendable {
    /// How padded keys are described.
    public enum KeyPadding: Sendable {
        /// `[B, S]`: `1` for a real key, `0` for padding.
        case mask(Tensor)
        /// For each batch row, the number of real keys; keys at and after it are padding.
        case lengths([Int])
    }

    /// The score given to a blocked query–key pair before the softmax.
    public static let blockedScore: Float = -1e9

    /// Whether query `i` is blocked from keys after its own position.
    ///
    /// Aligned bottom-right: with `T` queries and `S` keys, query `i` sits at position
    /// `S − T + i`, which is what incremental decoding with a cache needs; for `S == T` this
    /// is the usual lower-triangular mask (PyTorch's `is_causal`).
    public var isCausal: Bool
    /// Padded keys, or `nil` when every key is real.
    public var keyPadding: KeyPadding?
    /// A bias added to the scores, broadcastable to `[B, H, T, S]` (relative-position biases,
    /// ALiBi); it may carry gradients.
    public var additiveBias: Tensor?

    /// Creates a mask from its parts; the default blocks nothing.
    public init(isCausal: Bool = false, keyPadding: KeyPadding? = nil, additiveBias: Tensor? = nil)
    {
        self.isCausal = isCausal
        self.keyPadding = keyPadding
        self.additiveBias = additiveBias
    }

    /// Blocks every key after the query's own position.
    public static let causal = AttentionMask(isCausal: true)

    /// Blocks the keys where `mask`, shape `[B, S]`, is `0`.
    public static func keyPadding(_ mask: Tensor) -> AttentionMask {
        precondition(
            mask.rank == 2, "AttentionMask.keyPadding: mask must be [B, S], got \(mask.shape)")
        return AttentionMask(keyPadding: .mask(mask))
    }

    /// Blocks, in batch row `b`, the keys at positions `lengths[b]` and after.
    public static func keyLengths(_ lengths: [Int]) -> AttentionMask {
        AttentionMask(keyPadding: .lengths(lengths))
    }

    /// Adds `bias`, broadcastable to `[B, H, T, S]`, to the scores.
    public static func additive(_ bias: Tensor) -> AttentionMask {
        AttentionMask(additiveBias: bias)
    }

    /// The union of the blocked positions of both masks, with their biases summed.
    ///
    /// Both masks may not describe key padding.
    public func combined(with other: AttentionMask) -> AttentionMask {
        precondition(
            keyPadding == nil || other.keyPadding == nil,
            "AttentionMask.combined: both masks describe key padding")
        let bias: Tensor? =
            switch (additiveBias, other.additiveBias) {
            case (let left?, let right?): left + right
            case (let left?, nil): left
            case (nil, let right): right
            }
        return AttentionMask(
            isCausal: isCausal || other.isCausal, keyPadding: keyPadding ?? other.keyPadding,
            additiveBias: bias)
    }

    /// The scores' bias for `batchSize` rows of `queryCount` queries over `keyCount` keys.
    ///
    /// Shape broadcastable to `[B, H, T, S]` (`[B or 1, 1, T or 1, S]` without a bias): `0`
    /// where allowed, `blockedScore` where blocked, plus `additiveBias` when present.
    /// `nil` when nothing is blocked and there is no bias.
    public func scoreBias(batchSize: Int, queryCount: Int, keyCount: Int) -> Tensor? {
        let blocked = blockedScores(
            batchSize: batchSize, queryCount: queryCount, keyCount: keyCount)
        switch (blocked, additiveBias) {
        case (let blocked?, let bias?): return blocked + bias
        case (let blocked?, nil): return blocked
        case (nil, let bias): return bias
        }
    }

    /// The `0` / `blockedScore` grid, untracked, or `nil` when nothing is blocked.
    ///
    /// Axes that do not vary are kept at size 1: `[1, 1, T, S]` for a causal mask alone,
    /// `[B, 1, 1, S]` for key padding alone.
    private func blockedScores(batchSize: Int, queryCount: Int, keyCount: Int) -> Tensor? {
        let realKeys = realKeyFlags(batchSize: batchSize, keyCount: keyCount)
        guard isCausal || realKeys != nil else { return nil }
        let rows = realKeys == nil ? 1 : batchSize
        let queryRows = isCausal ? queryCount : 1
        var scores = [Float](repeating: 0, count: rows * queryRows * keyCount)
        let shift = keyCount - queryCount
        for row in 0..<rows {
            for query in 0..<queryRows {
                let base = (row * queryRows + query) * keyCount
                for key in 0..<keyCount {
                    let isFuture = isCausal && key > query + shift
                    let isPadding = realKeys.map { !$0[row * keyCount + key] } ?? false
                    if isFuture || isPadding { scores[base + key] = Self.blockedScore }
                }
            }
        }
        return Tensor(shape: [rows, 1, queryRows, keyCount], scalars: scores)
    }

    /// Row-major `[B, S]` flags, `true` for a real key, or `nil` without key padding.
    private func realKeyFlags(batchSize: Int, keyCount: Int) -> [Bool]? {
        switch keyPadding {
        case nil: return nil
        case .mask(let mask):
            precondition(
                mask.shape == [batchSize, keyCount],
                "AttentionMask: key padding mask \(mask.shape) must be [\(batchSize), \(keyCount)]")
            return mask.scalars.map { $0 != 0 }
        case .lengths(let lengths):
            precondition(
                lengths.count == batchSize,
                "AttentionMask: \(lengths.count) key lengths for a batch of \(batchSize)")
            return lengths.flatMap { length in (0..<keyCount).map { $0 < length } }
        }
    }
}
