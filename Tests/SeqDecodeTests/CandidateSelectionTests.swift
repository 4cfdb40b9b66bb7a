import SeqTensor
import Testing

@testable import SeqDecode

/// The partial top-k selection against a full sort, with ties and NaNs, at sizes around the
/// 16-wide SIMD chunk.
@Suite struct CandidateSelectionTests {
    @Test(arguments: [1, 15, 16, 17, 1000])
    func matchesAFullSort(vocabularySize: Int) {
        var generator = SeededGenerator(seed: UInt64(vocabularySize))
        var selector = CandidateSelector()
        for beams in 1...3 {
            // Few distinct values, so ties are common; a NaN now and then.
            let rows = (0..<(beams * vocabularySize)).map { index -> Float in
                index % 29 == 7 ? .nan : Float(generator.next() % 9) - 4
            }
            let beamScores = (0..<beams).map { Float($0) * -0.5 }
            let total = beams * vocabularySize
            for count in [1, 2, 5, 8] where count <= total {
                let expected = (0..<total).map { index -> Candidate in
                    let score = beamScores[index / vocabularySize] + rows[index]
                    return Candidate(score: score.isNaN ? -.infinity : score, index: index)
                }.sorted { $0.isBetter(than: $1) }
                let selected = rows.withUnsafeBufferPointer { buffer in
                    selector.select(
                        count: count, beamScores: beamScores, rows: buffer.baseAddress!,
                        vocabularySize: vocabularySize)
                }
                #expect(selected == Array(expected.prefix(count)), "V \(vocabularySize) × \(beams)")
            }
        }
    }
}
