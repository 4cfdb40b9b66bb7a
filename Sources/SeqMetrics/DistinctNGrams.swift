/// Distinct-n (Li et al., 2016): how varied a set of outputs is.
public enum DistinctNGrams {
    /// What the number of distinct n-grams is divided by.
    public enum Denominator: Sendable {
        /// All n-grams of the order (a ratio in 0…1 for every order).
        case ngrams
        /// All words: the definition of Li et al. (2016) and of diverse beam search
        /// (Vijayakumar et al.), "distinct n-grams divided by the total number of words
        /// generated", which biases against long outputs.
        case words
    }

    /// Distinct n-grams of `order`, over every text, divided by `denominator`, in 0…1.
    ///
    /// Words are separated by whitespace (Python's `str.split()`) and compared by code points;
    /// n-grams do not cross texts. Returns 0 when no text has `order` words.
    ///
    /// - Precondition: `order >= 1`.
    public static func ratio(
        of texts: [String], order: Int, dividingBy denominator: Denominator = .ngrams
    ) -> Double {
        precondition(order >= 1, "DistinctNGrams: order must be at least 1, got \(order)")
        var numbering = WordNumbering()
        var distinct = Set<[Int]>()
        var total = 0
        var words = 0
        for text in texts {
            let numbers = numbering.numbers(of: pythonSplit(scalars(of: text)))
            let counts = ngramCounts(numbers, order: order)
            distinct.formUnion(counts.keys)
            total += counts.values.reduce(0, +)
            words += numbers.count
        }
        guard total > 0 else { return 0 }
        switch denominator {
        case .ngrams: return Double(distinct.count) / Double(total)
        case .words: return Double(distinct.count) / Double(words)
        }
    }
}
