import Foundation
import SeqTensor

/// Draws one token from a row of log-probabilities after temperature, top-k, top-p and min-p,
/// in Hugging Face's warper order.
///
/// Only the kept tokens are ever sorted: top-k selects its `k` with a bounded heap, and top-p
/// alone grows a heap selection (64, 256, …) until the kept mass is reached. Probabilities are
/// handled as weights relative to the best token, `exp((x − max) / T)`, in double precision.
struct TokenSampler {
    let topK: Int
    let topP: Float
    let minP: Float
    private let inverseTemperature: Double
    private var selector = CandidateSelector()

    init(temperature: Float, topK: Int, topP: Float, minP: Float) {
        self.topK = topK
        self.topP = topP
        self.minP = minP
        inverseTemperature = 1 / Double(temperature)
    }

    private func weight(_ score: Float, maximum: Float) -> Double {
        exp(Double(score - maximum) * inverseTemperature)
    }

    mutating func draw(
        _ row: UnsafePointer<Float>, vocabularySize: Int, using generator: inout SeededGenerator
    ) -> Int {
        var best = 0
        for token in 1..<vocabularySize where row[token] > row[best] { best = token }
        let maximum = row[best]
        guard maximum > -.infinity else { return best }
        var kept: [Candidate]
        if topK > 0 && topK < vocabularySize {
            let top = selector.select(
                count: topK, beamScores: [0], rows: row, vocabularySize: vocabularySize)
            let threshold = top[top.count - 1].score
            // Ties with the k-th score are kept, as Hugging Face's `scores < kth` removal does.
            kept = []
            for token in 0..<vocabularySize where row[token] >= threshold {
                kept.append(Candidate(score: row[token], index: token))
            }
            kept.sort { $0.isBetter(than: $1) }
            if topP < 1 {
                var total = 0.0
                for candidate in kept { total += weight(candidate.score, maximum: maximum) }
                kept = nucleus(kept, total: total, maximum: maximum)
            }
        } else if topP < 1 {
            var total = 0.0
            for token in 0..<vocabularySize { total += weight(row[token], maximum: maximum) }
            var count = min(vocabularySize, 64)
            while true {
                let top = selector.select(
                    count: count, beamScores: [0], rows: row, vocabularySize: vocabularySize)
                kept = nucleus(top, total: total, maximum: maximum)
                if kept.count < top.count || count == vocabularySize { break }
                count = min(vocabularySize, count * 4)
            }
        } else {
            return drawFromRow(
                row, vocabularySize: vocabularySize, maximum: maximum, using: &generator)
        }
        // Min-p: the best token has weight 1, so the rule is `weight ≥ minP`.
        var weights = [Double](repeating: 0, count: kept.count)
        var total = 0.0
        for (position, candidate) in kept.enumerated() {
            let value = weight(candidate.score, maximum: maximum)
            if value >= Double(minP) {
                weights[position] = value
                total += value
            }
        }
        let target = unit(&generator) * total
        var cumulative = 0.0
        for (position, candidate) in kept.enumerated() {
            cumulative += weights[position]
            if cumulative > target { return candidate.index }
        }
        return kept[0].index
    }

    /// The smallest best-first prefix of `sorted` whose mass reaches `topP` (Hugging Face keeps
    /// a token while the mass strictly above it is below `topP`).
    private func nucleus(_ sorted: [Candidate], total: Double, maximum: Float) -> [Candidate] {
        var above = 0.0
        for (position, candidate) in sorted.enumerated() {
            if position > 0 && above >= Double(topP) { return Array(sorted.prefix(position)) }
            above += weight(candidate.score, maximum: maximum) / total
        }
        return sorted
    }

    /// Draws from the whole row (no top-k or top-p): two passes, no sorting.
    private func drawFromRow(
        _ row: UnsafePointer<Float>, vocabularySize: Int, maximum: Float,
        using generator: inout SeededGenerator
    ) -> Int {
        let floor = Double(minP)
        var total = 0.0
        for token in 0..<vocabularySize {
            let value = weight(row[token], maximum: maximum)
            if value >= floor { total += value }
        }
        let target = unit(&generator) * total
        var cumulative = 0.0
        var last = 0
        for token in 0..<vocabularySize {
            let value = weight(row[token], maximum: maximum)
            guard value >= floor && value > 0 else { continue }
            cumulative += value
            last = token
            if cumulative > target { return token }
        }
        return last
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    private func unit(_ generator: inout SeededGenerator) -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }
}
