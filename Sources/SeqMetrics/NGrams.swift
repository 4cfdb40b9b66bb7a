/// Numbers standing for words, so that n-grams hash and compare cheaply.
///
/// Two words get the same number exactly when they have the same code points, which is
/// Python's string equality (no Unicode normalisation).
struct WordNumbering {
    private var numbers: [Scalars: Int] = [:]

    /// The number of each word, assigning new numbers to unseen words.
    mutating func numbers(of words: [Scalars]) -> [Int] {
        words.map { word in
            if let number = numbers[word] { return number }
            let number = numbers.count
            numbers[word] = number
            return number
        }
    }
}

/// How often each n-gram of length `order` occurs in `items` (empty if `items` is shorter).
func ngramCounts<Item: Hashable>(_ items: [Item], order: Int) -> [[Item]: Int] {
    var counts: [[Item]: Int] = [:]
    guard order > 0, items.count >= order else { return counts }
    for start in 0...(items.count - order) {
        counts[Array(items[start..<start + order]), default: 0] += 1
    }
    return counts
}

/// The clipped overlap `Σ min(count, referenceCount)` of two n-gram counts.
func matchCount<Item: Hashable>(_ hypothesis: [[Item]: Int], _ reference: [[Item]: Int]) -> Int {
    hypothesis.reduce(0) { total, entry in
        total + min(entry.value, reference[entry.key] ?? 0)
    }
}
