import Foundation
import SeqKernels
import Testing

/// Middle-axis extremum, scatter and log-sum-exp kernels against their naive twins.
@Suite struct ExtremaKernelTests {
    /// `(outer, length, inner)` blocks: the odd sizes along each position, and the three code
    /// paths (contiguous rows, one block of columns, many blocks).
    private static let blocks: [(Int, Int, Int)] =
        kernelTestSizes.flatMap { n in [(1, n, 1), (3, n, 1), (1, n, 17), (1, 3, n), (2, n, 15)] }
        + [(7, 33, 1), (4, 5, 16), (1, 16, 17), (5, 1000, 3), (2, 9, 1000), (40, 1_000, 1)]

    /// Values on a grid of quarters, so that ties are common and the first index matters.
    private static func tiedValues(_ count: Int) -> [Float] {
        spread(count, over: -4...4).map { ($0 * 4).rounded() / 4 }
    }

    @Test(arguments: Extremum.allCases)
    func extremumMatchesNaive(_ kind: Extremum) {
        for (outer, length, inner) in Self.blocks {
            let x = Self.tiedValues(outer * length * inner)
            let outputs = outer * inner
            var values = [Float](repeating: .nan, count: outputs)
            var indices = values
            var (naiveValues, naiveIndices) = (values, indices)
            extremumAxis(
                kind, x, values: &values, indices: &indices, outer: outer, length: length,
                inner: inner)
            referenceExtremumAxis(
                kind, x, values: &naiveValues, indices: &naiveIndices, outer: outer,
                length: length, inner: inner)
            let label = "\(kind) [\(outer), \(length), \(inner)]"
            #expect(values == naiveValues, "\(label) values")
            #expect(indices == naiveIndices, "\(label) indices")
        }
    }

    @Test(arguments: Extremum.allCases)
    func extremumPrefersNaNAndItsFirstIndex(_ kind: Extremum) {
        for length in [5, 40, 1000] {
            var row = spread(length, over: -1...1)
            row[length / 2] = .nan
            row[length - 1] = .nan
            var (value, index): (Float, Float) = (0, 0)
            extremumAxis(
                kind, row, values: &value, indices: &index, outer: 1, length: length, inner: 1)
            #expect(value.isNaN && index == Float(length / 2), "\(kind) length \(length)")
            // The NaN as the last element of a shorter row: the scalar tail.
            extremumAxis(
                kind, row, values: &value, indices: &index, outer: 1, length: length / 2 + 1,
                inner: 1)
            #expect(value.isNaN && index == Float(length / 2), "\(kind) prefix of \(length)")
            // And down a column.
            var columnValues = [Float](repeating: 0, count: 2)
            var columnIndices = columnValues
            let twoColumns = row.flatMap { [$0, -$0] }
            extremumAxis(
                kind, twoColumns, values: &columnValues, indices: &columnIndices, outer: 1,
                length: length, inner: 2)
            #expect(
                columnValues.allSatisfy(\.isNaN)
                    && columnIndices == [Float(length / 2), Float(length / 2)])
        }
    }

    @Test func scatterMatchesNaive() {
        for (outer, length, inner) in Self.blocks {
            let gradient = spread(outer * inner, over: -2...2)
            let indices = spread(outer * inner, over: 0...Float(length - 1), phase: 0.9)
                .map { $0.rounded(.down) }
            var fast = [Float](repeating: .nan, count: outer * length * inner)
            var naive = fast
            scatterAlongAxis(
                gradient, indices: indices, &fast, outer: outer, length: length, inner: inner)
            referenceScatterAlongAxis(
                gradient, indices: indices, &naive, outer: outer, length: length, inner: inner)
            #expect(fast == naive, "scatter [\(outer), \(length), \(inner)]")
        }
    }

    @Test func logSumExpMatchesNaive() {
        for (outer, length, inner) in Self.blocks {
            for offset: Float in [0, 1000, -1000] {
                let x = spread(outer * length * inner, over: -30...30).map { $0 + offset }
                var fast = [Float](repeating: .nan, count: outer * inner)
                var naive = fast
                logSumExpAxis(x, &fast, outer: outer, length: length, inner: inner)
                referenceLogSumExpAxis(x, &naive, outer: outer, length: length, inner: inner)
                expectElementsClose(
                    fast, naive, relative: 2e-6, absolute: 2e-6,
                    "logSumExp [\(outer), \(length), \(inner)] + \(offset)")
            }
        }
    }

    @Test func logSumExpHandlesInfinitiesAndNaN() {
        // Columns: all -inf, one +inf, one NaN, ordinary; as rows and as columns.
        let rows: [[Float]] = [
            [-.infinity, -.infinity, -.infinity], [1, .infinity, 2], [1, .nan, 2], [0, 0, 0],
        ]
        let expected: [Float] = [-.infinity, .infinity, .nan, Float(log(3.0))]
        var fast = [Float](repeating: 0, count: 4)
        logSumExpAxis(rows.flatMap { $0 }, &fast, outer: 4, length: 3, inner: 1)
        expectElementsClose(fast, expected, relative: 1e-6, absolute: 1e-6, "rows")
        let columns = (0..<3).flatMap { j in rows.map { $0[j] } }
        logSumExpAxis(columns, &fast, outer: 1, length: 3, inner: 4)
        expectElementsClose(fast, expected, relative: 1e-6, absolute: 1e-6, "columns")
    }
}
