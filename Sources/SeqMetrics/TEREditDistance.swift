/// One edit of a word-level alignment, as sacrebleu's `lib_ter` traces spell them.
enum EditOperation: UInt8, Sendable {
    /// `' '`: the words match.
    case match
    /// `'s'`: one word replaces another.
    case substitution
    /// `'i'`: a reference word is inserted.
    case insertion
    /// `'d'`: a hypothesis word is deleted.
    case deletion
    /// `'x'`: a cell outside the beam, never part of a trace.
    case undefined

    /// The operation when rewriting the other way round (insertions and deletions swap).
    var flipped: EditOperation {
        switch self {
        case .insertion: return .deletion
        case .deletion: return .insertion
        default: return self
        }
    }
}

/// sacrebleu's `BeamEditDistance`: Levenshtein distance from hypotheses to one reference,
/// computed in a band around the length-scaled diagonal, with a prefix cache.
///
/// Row i of the matrix depends only on the first i hypothesis words, so rows are cached in a
/// trie keyed by those words and a new hypothesis starts from its longest cached prefix. All
/// hypotheses scored against one reference during a TER computation are permutations of one
/// another and share their length, hence their band. Ties prefer match/substitution, then
/// deletion, then insertion (tercom's order, mirrored because traces are flipped).
///
/// - Complexity: O(hypothesis length × beam width) per uncached row.
struct BeamEditDistance {
    private static let beamWidth = 25
    private static let maximumCacheSize = 10_000
    private static let infinity = 10_000_000_000_000_000

    /// One matrix row: the cost and the last operation of each cell.
    private struct Row {
        var costs: [Int]
        var operations: [EditOperation]
    }

    private let reference: [Int]
    private let initialRow: Row
    private let emptyRow: Row
    /// Trie of cached rows: `children[node][word]` is the node after `word`, whose row is
    /// `rows[node - 1]` (node 0 is the empty prefix).
    private var children: [[Int: Int]] = [[:]]
    private var rows: [Row] = []

    /// A distance calculator for hypotheses against `reference` (word numbers).
    init(reference: [Int]) {
        self.reference = reference
        initialRow = Row(
            costs: Array(0...reference.count),
            operations: Array(repeating: .insertion, count: reference.count + 1))
        emptyRow = Row(
            costs: Array(repeating: Self.infinity, count: reference.count + 1),
            operations: Array(repeating: .undefined, count: reference.count + 1))
    }

    /// The edit distance of `hypothesis` to the reference and the operations that achieve it
    /// (rewriting the hypothesis into the reference).
    mutating func callAsFunction(_ hypothesis: [Int]) -> (distance: Int, trace: [EditOperation]) {
        var matrix = [initialRow]
        var node = 0
        for word in hypothesis {
            guard let next = children[node][word] else { break }
            node = next
            matrix.append(rows[next - 1])
        }
        let start = matrix.count - 1
        let result = fillRows(of: hypothesis, from: start, into: &matrix)
        addToCache(hypothesis, rows: matrix[(start + 1)...], from: node)
        return result
    }

    /// Computes rows `start + 1 … hypothesis.count` (sacrebleu's `_edit_distance`).
    private func fillRows(of hypothesis: [Int], from start: Int, into matrix: inout [Row])
        -> (distance: Int, trace: [EditOperation])
    {
        let columns = reference.count + 1
        let lengthRatio =
            hypothesis.isEmpty ? 1 : Double(reference.count) / Double(hypothesis.count)
        // In very unequal lengths the band must be wide enough to overlap the previous row.
        let beam =
            Double(Self.beamWidth) < lengthRatio / 2
            ? Int((lengthRatio / 2 + Double(Self.beamWidth)).rounded(.up)) : Self.beamWidth
        for i in stride(from: start + 1, through: hypothesis.count, by: 1) {
            let diagonal = Int((Double(i) * lengthRatio).rounded(.down))
            let lower = max(0, diagonal - beam)
            let upper = i == hypothesis.count ? columns : min(columns, diagonal + beam)
            let previous = matrix[i - 1]
            var row = emptyRow
            let word = hypothesis[i - 1]
            for j in lower..<max(lower, upper) {
                if j == 0 {
                    row.costs[0] = previous.costs[0] + 1
                    row.operations[0] = .deletion
                    continue
                }
                let isMatch = word == reference[j - 1]
                var cost = row.costs[j]
                var operation = row.operations[j]
                let substitution = previous.costs[j - 1] + (isMatch ? 0 : 1)
                if cost > substitution {
                    cost = substitution
                    operation = isMatch ? .match : .substitution
                }
                if cost > previous.costs[j] + 1 {
                    cost = previous.costs[j] + 1
                    operation = .deletion
                }
                if cost > row.costs[j - 1] + 1 {
                    cost = row.costs[j - 1] + 1
                    operation = .insertion
                }
                row.costs[j] = cost
                row.operations[j] = operation
            }
            matrix.append(row)
        }
        var trace: [EditOperation] = []
        var i = hypothesis.count
        var j = reference.count
        while i > 0 || j > 0 {
            let operation = matrix[i].operations[j]
            trace.append(operation)
            switch operation {
            case .match, .substitution:
                i -= 1
                j -= 1
            case .insertion: j -= 1
            case .deletion: i -= 1
            case .undefined:
                preconditionFailure("TER: edit trace left the beam at row \(i), column \(j)")
            }
        }
        return (matrix[hypothesis.count].costs[reference.count], trace.reversed())
    }

    /// Stores the newly computed rows under their hypothesis prefixes (`_add_cache`).
    private mutating func addToCache(
        _ hypothesis: [Int], rows newRows: ArraySlice<Row>, from node: Int
    ) {
        guard rows.count < Self.maximumCacheSize else { return }
        var node = node
        for (word, row) in zip(hypothesis[(hypothesis.count - newRows.count)...], newRows) {
            if let next = children[node][word] {
                node = next
            } else {
                rows.append(row)
                children.append([:])
                children[node][word] = rows.count
                node = rows.count
            }
        }
    }
}
