import Foundation

/// A BLEU score with the statistics behind it, as sacrebleu's `BLEUScore` reports them.
public struct BLEUScore: Sendable, Hashable {
    /// BLEU in 0…100.
    public let score: Double
    /// Matched n-grams for n = 1…4.
    ///
    /// With add-k smoothing, orders n ≥ 2 include the added k (as sacrebleu reports them),
    /// which is why these are not integers.
    public let counts: [Double]
    /// Hypothesis n-grams for n = 1…4 (with add-k smoothing, orders n ≥ 2 include k).
    public let totals: [Double]
    /// Smoothed n-gram precisions in percent for n = 1…4; all 0 when nothing matched.
    public let precisions: [Double]
    /// The brevity penalty, in 0…1.
    public let brevityPenalty: Double
    /// Hypothesis words in total (`hyp_len`).
    public let systemLength: Int
    /// Closest reference words in total (`ref_len`).
    public let referenceLength: Int
    /// The sacrebleu signature.
    ///
    /// For example `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`.
    public let signature: String

    /// `systemLength / referenceLength`, or 0 without reference words.
    public var ratio: Double {
        referenceLength == 0 ? 0 : Double(systemLength) / Double(referenceLength)
    }

    /// The line sacrebleu prints for this score.
    ///
    /// - Parameter decimals: Digits after the point of the score (sacrebleu's `--width`).
    /// - Returns: For example `BLEU|<signature> = 34.12 65.2/40.1/27.3/19.0 (BP = 0.982
    ///   ratio = 0.982 hyp_len = 93 ref_len = 96)`.
    public func formatted(decimals: Int = 2) -> String {
        let precisionText = precisions.map { String(format: "%.1f", $0) }.joined(separator: "/")
        return "BLEU|\(signature) = \(String(format: "%.\(decimals)f", score)) \(precisionText)"
            + " (BP = \(String(format: "%.3f", brevityPenalty))"
            + " ratio = \(String(format: "%.3f", ratio))"
            + " hyp_len = \(systemLength) ref_len = \(referenceLength))"
    }
}
