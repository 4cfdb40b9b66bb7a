#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SeqNN
import SeqTensor

// Legend: T queries, S keys, H heads.

/// T5's bucketed relative position bias: one learned scalar per head and bucket of the
/// distance `key − query`, added to the self-attention scores.
///
/// From "Exploring the Limits of Transfer Learning" (Raffel and others, 2020), as Hugging Face's
/// `T5Attention._relative_position_bucket` computes it. With `rel = key − query`:
/// - bidirectional (encoder): half of the `bucketCount` buckets are for `rel > 0`, so
///   `nb = bucketCount / 2`, `bucket = rel > 0 ? nb : 0` and `r = |rel|`;
/// - causal (decoder): `nb = bucketCount`, `bucket = 0` and `r = max(−rel, 0)`;
/// - then, with `e = nb / 2`, distances below `e` get a bucket each and larger ones share
///   logarithmically wider buckets up to `maxDistance`:
///   `bucket += r < e ? r : min(nb − 1, e + ⌊ln(r / e) / ln(maxDistance / e) · (nb − e)⌋)`,
///   evaluated in `Float` as PyTorch does.
///
/// A stack computes the bias once and every layer adds it, so only the distances between
/// positions matter: absolute positions never enter the model.
///
/// Shapes: `weight` `[bucketCount, H]`; the bias `[1, H, T, S]`.
/// Initialisation: `N(0, 1)`, as `Embedding`.
public final class RelativePositionBias: Module {
    /// One scalar per bucket and head, `[bucketCount, H]`.
    public let weight: Parameter
    /// Whether keys after the query get buckets of their own (encoder) or share bucket 0 with
    /// the query itself (decoder).
    public let isBidirectional: Bool
    /// The distance from which all larger distances share the last bucket.
    public let maxDistance: Int

    /// The number of buckets.
    public var bucketCount: Int { weight.shape[0] }
    /// The number of heads.
    public var headCount: Int { weight.shape[1] }

    /// Creates a bias table drawn from `generator`.
    ///
    /// - Parameters:
    ///   - bucketCount: Buckets per direction set; even and at least 4.
    ///   - headCount: The number of attention heads.
    ///   - maxDistance: Larger than `bucketCount / 4` (bidirectional) or `bucketCount / 2`.
    ///   - isBidirectional: `true` for an encoder, `false` for a causal decoder.
    ///   - generator: The source of the initial weights.
    public init(
        bucketCount: Int, headCount: Int, maxDistance: Int, isBidirectional: Bool,
        using generator: inout SeededGenerator
    ) {
        precondition(
            bucketCount >= 4 && bucketCount.isMultiple(of: 2) && headCount > 0
                && maxDistance > bucketCount / 2,
            "RelativePositionBias: needs an even bucketCount ≥ 4 (got \(bucketCount)), "
                + "headCount > 0 (got \(headCount)) and maxDistance > bucketCount / 2 "
                + "(got \(maxDistance))")
        weight = Parameter(.normal([bucketCount, headCount], using: &generator))
        self.isBidirectional = isBidirectional
        self.maxDistance = maxDistance
    }

    /// The bucket of `relativePosition = key − query`.
    public func bucket(relativePosition: Int) -> Int {
        var buckets = bucketCount
        var bucket = 0
        let distance: Int
        if isBidirectional {
            buckets /= 2
            if relativePosition > 0 { bucket = buckets }
            distance = abs(relativePosition)
        } else {
            distance = max(-relativePosition, 0)
        }
        let exact = buckets / 2
        if distance < exact { return bucket + distance }
        // Float32 throughout, as the reference computes it, so boundary cases round alike.
        let ratio =
            logf(Float(distance) / Float(exact)) / Float(log(Double(maxDistance) / Double(exact)))
        let large = exact + Int(ratio * Float(buckets - exact))
        return bucket + min(large, buckets - 1)
    }

    /// The bias for `queryCount` queries at positions `queryOffset ..< queryOffset + T`
    /// against keys at positions `0 ..< keyCount`, `[1, H, T, S]`.
    ///
    /// When decoding with a cache, `queryOffset` is the number of cached positions.
    public func callAsFunction(queryCount: Int, keyCount: Int, queryOffset: Int = 0) -> Tensor {
        precondition(
            queryCount > 0 && keyCount > 0 && queryOffset >= 0,
            "RelativePositionBias: \(queryCount) queries from \(queryOffset) over \(keyCount) keys")
        var buckets: [Int32] = []
        buckets.reserveCapacity(queryCount * keyCount)
        for query in queryOffset..<(queryOffset + queryCount) {
            for key in 0..<keyCount {
                buckets.append(Int32(bucket(relativePosition: key - query)))
            }
        }
        // [T, S, H] → [H, T, S]
        return weight.value.embeddingLookup(ids: buckets, shape: [queryCount, keyCount])
            .permuted([2, 0, 1])
            .reshaped([1, headCount, queryCount, keyCount])
    }
}
