/// Distinct-n (Li et al., 2016): how varied a set of outputs is.
public enum DistinctNGrams {
    /// Distinct n-grams divided by all n-grams of `order`, over every text, in 0…1.
    ///
    /// Words are separated by whitespace (Python's `str.split()`) and compared by code points;
    /// n-grams do not cross texts. Returns 0 when no text has `order` words.
    ///
    /// - Precondition: `order >= 1`.
    public static func ratio(of texts: [String], order: Int) -> Double {
        precondition(order >= 1, "DistinctNGrams: order must be at least 1, got \(order)")
        var numbering = WordNumbering()
        var distinct = Set<[Int]>()
        var total = 0
        for text in texts {
            let counts = ngramCounts(
                numbering.numbers(of: pythonSplit(scalars(of: text))), order: order)
            distinct.formUnion(counts.keys)
            total += counts.values.reduce(0, +)
        }
        return total == 0 ? 0 : Double(distinct.count) / Double(total)
    }
}
