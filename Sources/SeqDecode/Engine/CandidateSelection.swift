/// A (beam, token) extension: `index = beam · vocabularySize + token`.
struct Candidate: Equatable {
    var score: Float
    var index: Int

    /// Ranking: higher score first, then lower index (deterministic on ties).
    func isBetter(than other: Candidate) -> Bool {
        score > other.score || (score == other.score && index < other.index)
    }
}

/// Partial top-k selection over `beams × vocabularySize` extension scores
/// `beamScores[b] + rows[b · vocabularySize + v]` (Float additions, as Hugging Face's).
///
/// A bounded min-heap of the `count` best seen so far; once it is full, 16 entries at a time
/// are compared against its worst with SIMD and skipped unless one beats it, so the whole
/// vocabulary is never sorted. NaN scores count as `-∞`.
struct CandidateSelector {
    private var heap: [Candidate] = []
    private var limit = 0

    /// The `count` best extensions, best first.
    mutating func select(
        count: Int, beamScores: [Float], rows: UnsafePointer<Float>, vocabularySize: Int
    ) -> [Candidate] {
        precondition(
            count >= 1 && count <= beamScores.count * vocabularySize,
            "CandidateSelector: cannot select \(count) of \(beamScores.count) × \(vocabularySize)")
        heap.removeAll(keepingCapacity: true)
        limit = count
        for (beam, beamScore) in beamScores.enumerated() {
            let row = rows + beam * vocabularySize
            let offset = beam * vocabularySize
            var token = 0
            while token < vocabularySize {
                if heap.count == count, token + 16 <= vocabularySize, let worst = heap.first {
                    let chunk =
                        UnsafeRawPointer(row + token).loadUnaligned(as: SIMD16<Float>.self)
                        + SIMD16(repeating: beamScore)
                    if any(chunk .> SIMD16(repeating: worst.score)) {
                        for lane in 0..<16 {
                            consider(Candidate(score: chunk[lane], index: offset + token + lane))
                        }
                    }
                    token += 16
                } else {
                    consider(Candidate(score: beamScore + row[token], index: offset + token))
                    token += 1
                }
            }
        }
        return heap.sorted { $0.isBetter(than: $1) }
    }

    private mutating func consider(_ raw: Candidate) {
        var candidate = raw
        if candidate.score.isNaN { candidate.score = -.infinity }
        if heap.count < limit {
            heap.append(candidate)
            siftUp(heap.count - 1)
        } else if let worst = heap.first, candidate.isBetter(than: worst) {
            heap[0] = candidate
            siftDown(0)
        }
    }

    /// Min-heap on "worse": the root is the worst candidate kept.
    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[parent].isBetter(than: heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            var worst = parent
            let left = 2 * parent + 1
            let right = left + 1
            if left < heap.count && heap[worst].isBetter(than: heap[left]) { worst = left }
            if right < heap.count && heap[worst].isBetter(than: heap[right]) { worst = right }
            if worst == parent { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
