import Foundation

/// Naive twin of `additiveScores`: one score at a time, in Double through Foundation's tanh.
package func referenceAdditiveScores(
    queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, vector: UnsafePointer<Float>,
    scores: UnsafeMutablePointer<Float>, batch: Int, queryCount: Int, keyCount: Int, size: Int
) {
    for example in 0..<batch {
        for query in 0..<queryCount {
            let row = example * queryCount + query
            for key in 0..<keyCount {
                let keyRow = example * keyCount + key
                var total = 0.0
                for a in 0..<size {
                    total +=
                        Double(vector[a])
                        * Foundation.tanh(Double(queries[row * size + a] + keys[keyRow * size + a]))
                }
                scores[row * keyCount + key] = Float(total)
            }
        }
    }
}

/// Naive twin of `additiveScoresBackward`, in Double.
package func referenceAdditiveScoresBackward(
    queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, vector: UnsafePointer<Float>,
    scoreGradient: UnsafePointer<Float>, queryGradient: UnsafeMutablePointer<Float>,
    keyGradient: UnsafeMutablePointer<Float>, vectorGradient: UnsafeMutablePointer<Float>,
    batch: Int, queryCount: Int, keyCount: Int, size: Int
) {
    var dq = [Double](repeating: 0, count: batch * queryCount * size)
    var dk = [Double](repeating: 0, count: batch * keyCount * size)
    var dv = [Double](repeating: 0, count: size)
    for example in 0..<batch {
        for query in 0..<queryCount {
            let row = example * queryCount + query
            for key in 0..<keyCount {
                let keyRow = example * keyCount + key
                let g = Double(scoreGradient[row * keyCount + key])
                for a in 0..<size {
                    let h = Foundation.tanh(
                        Double(queries[row * size + a] + keys[keyRow * size + a]))
                    let delta = g * Double(vector[a]) * (1 - h * h)
                    dq[row * size + a] += delta
                    dk[keyRow * size + a] += delta
                    dv[a] += g * h
                }
            }
        }
    }
    for (index, value) in dq.enumerated() { queryGradient[index] = Float(value) }
    for (index, value) in dk.enumerated() { keyGradient[index] = Float(value) }
    for (index, value) in dv.enumerated() { vectorGradient[index] = Float(value) }
}
