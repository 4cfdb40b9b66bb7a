import Foundation

/// The best finished hypotheses of one source (or one group of it), following Hugging Face's
/// `BeamHypotheses` exactly: entries in insertion order, a worst score starting at 1e9,
/// scores normalised as `sum / generatedLength ^ lengthPenalty` in double precision.
struct FinishedHypotheses {
    struct Entry {
        var score: Double
        var hypothesis: Hypothesis
    }

    let capacity: Int
    let lengthPenalty: Double
    let earlyStopping: EarlyStopping
    /// The source's length limit, used by `EarlyStopping.never`.
    let maxNewTokens: Int
    private(set) var entries: [Entry] = []
    private var worstScore = 1e9

    init(capacity: Int, lengthPenalty: Float, earlyStopping: EarlyStopping, maxNewTokens: Int) {
        self.capacity = capacity
        self.lengthPenalty = Double(lengthPenalty)
        self.earlyStopping = earlyStopping
        self.maxNewTokens = maxNewTokens
    }

    /// Offers a hypothesis whose running score is `sum`; keeps it if the list has room or it
    /// beats the worst kept one (`attention` is evaluated only then).
    mutating func add(
        tokens: [Int32], sum: Float, sumLogProbabilities: Float, isFinished: Bool,
        attention: @autoclosure () -> [[Float]]? = nil
    ) {
        let score = Double(sum) / pow(Double(tokens.count), lengthPenalty)
        guard entries.count < capacity || score > worstScore else { return }
        let hypothesis = Hypothesis(
            tokens: tokens, score: Float(score), sumLogProbabilities: sumLogProbabilities,
            isFinished: isFinished, attention: attention())
        entries.append(Entry(score: score, hypothesis: hypothesis))
        if entries.count > capacity {
            // Python's `sorted` of (score, index) pairs: drop the lowest, ties by first added.
            let order = entries.indices.sorted {
                (entries[$0].score, $0) < (entries[$1].score, $1)
            }
            entries.remove(at: order[0])
            worstScore = entries.map(\.score).min() ?? worstScore
        } else {
            worstScore = min(score, worstScore)
        }
    }

    /// Whether no live hypothesis can still enter the list, given the best running score
    /// `best` of this step and the number of tokens generated so far.
    func isDone(best: Float, generatedCount: Int) -> Bool {
        guard entries.count >= capacity else { return false }
        let length: Int
        switch earlyStopping {
        case .true: return true
        case .false: length = generatedCount
        case .never: length = lengthPenalty > 0 ? maxNewTokens : generatedCount
        }
        return worstScore >= Double(best) / pow(Double(length), lengthPenalty)
    }
}
