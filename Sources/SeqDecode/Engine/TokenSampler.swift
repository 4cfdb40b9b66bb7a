import Foundation
import SeqTensor

/// Draws one token from a row of log-probabilities after temperature, top-k, top-p and min-p,
/// in Hugging Face's warper order.
///
/// Only the kept tokens are ever sorted: top-k selects its `k` with a bounded heap, and top-p
/// alone grows a heap selection (64, 256, …) until the kept mass is reached.
struct TokenSampler {
    let temperature: Float
    let topK: Int
    let topP: Float
    let minP: Float
    private var selector = CandidateSelector()

    init(temperature: Float, topK: Int, topP: Float, minP: Float) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
    }

    mutating func draw(
        _ row: UnsafePointer<Float>, vocabularySize: Int, using generator: inout SeededGenerator
    ) -> Int {
        var best = 0
        for token in 1..<vocabularySize where row[token] > row[best] { best = token }
        let maximum = row[best]
        guard maximum > -.infinity else { return best }
        // Weights relative to the best token: exp((x − max) / T).
        let inverse = 1 / Double(temperature)
        func weight(_ score: Float) -> Double { exp(Double(score - maximum) * inverse) }

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
                kept = nucleus(kept, total: kept.reduce(0) { $0 + weight($1.score) }, weight)
            }
        } else if topP < 1 {
            var total = 0.0
            for token in 0..<vocabularySize { total += weight(row[token]) }
            var count = min(vocabularySize, 64)
            while true {
                let top = selector.select(
                    count: count, beamScores: [0], rows: row, vocabularySize: vocabularySize)
                kept = nucleus(top, total: total, weight)
                if kept.count < top.count || count == vocabularySize { break }
                count = min(vocabularySize, count * 4)
            }
        } else {
            return drawFromRow(row, vocabularySize: vocabularySize, using: &generator, weight)
        }
        let weights = kept.map { weight($0.score) }.map { $0 >= Double(minP) ? $0 : 0 }
        let target = unit(&generator) * weights.reduce(0, +)
        var cumulative = 0.0
        for (position, candidate) in kept.enumerated() {
            cumulative += weights[position]
            if cumulative > target { return candidate.index }
        }
        return kept[0].index
    }

    /// The smallest best-first prefix of `sorted` whose mass reaches `topP` (Hugging Face keeps
    /// a token while the mass strictly above it is below `topP`).
    private func nucleus(
        _ sorted: [Candidate], total: Double, _ weight: (Float) -> Double
    ) -> [Candidate] {
        var above = 0.0
        for (position, candidate) in sorted.enumerated() {
            if position > 0 && above >= Double(topP) { return Array(sorted.prefix(position)) }
            above += weight(candidate.score) / total
        }
        return sorted
    }

    /// Draws from the whole row (no top-k or top-p): two passes, no sorting.
    private func drawFromRow(
        _ row: UnsafePointer<Float>, vocabularySize: Int, using generator: inout SeededGenerator,
        _ weight: (Float) -> Double
    ) -> Int {
        let floor = Double(minP)
        var total = 0.0
        for token in 0..<vocabularySize {
            let value = weight(row[token])
            if value >= floor { total += value }
        }
        let target = unit(&generator) * total
        var cumulative = 0.0
        var last = 0
        for token in 0..<vocabularySize {
            let value = weight(row[token])
            guard value >= floor && value > 0 else { continue }
            cumulative += value
            last = token
            if cumulative > target { return token }
        }
        return last
    }

    private func unit(_ generator: inout SeededGenerator) -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }
}
