/// A batch of token-id sequences, right-padded to one length.
///
/// Shapes: `ids` is row-major `[rowCount, length]`; row `b` holds `lengths[b]` real ids, then
/// padding. Models never let padding change the results for real tokens.
///
/// ```swift
/// let batch = TokenBatch(rows: [[5, 6, 7], [8]], padID: 0)   // ids [5, 6, 7, 8, 0, 0]
/// ```
public struct TokenBatch: Sendable, Equatable {
    /// The ids, row-major `[rowCount, length]`, padded on the right.
    public let ids: [Int32]
    /// The number of real ids in each row.
    public let lengths: [Int]
    /// The padded length of every row, the longest row's length.
    public let length: Int

    /// The number of rows.
    public var rowCount: Int { lengths.count }
    /// `[rowCount, length]`.
    public var shape: [Int] { [rowCount, length] }
    /// Whether some row is shorter than `length`.
    public var isPadded: Bool { lengths.contains { $0 < length } }

    /// Pads `rows` on the right with `padID` to the longest row's length.
    ///
    /// There must be at least one row, and at least one row must be non-empty.
    public init(rows: [[Int32]], padID: Int32) {
        let length = rows.map(\.count).max() ?? 0
        precondition(
            length > 0, "TokenBatch: needs at least one non-empty row, got \(rows.count) rows")
        var ids: [Int32] = []
        ids.reserveCapacity(rows.count * length)
        for row in rows {
            ids += row
            ids += repeatElement(padID, count: length - row.count)
        }
        self.ids = ids
        self.lengths = rows.map(\.count)
        self.length = length
    }

    /// Wraps ids that are already padded: `ids` is `[lengths.count, length]` row-major.
    public init(ids: [Int32], lengths: [Int], length: Int) {
        precondition(
            length > 0 && ids.count == lengths.count * length,
            "TokenBatch: \(ids.count) ids do not form \(lengths.count) rows of length \(length)")
        precondition(
            lengths.allSatisfy { (0...length).contains($0) },
            "TokenBatch: lengths \(lengths) must lie in 0...\(length)")
        self.ids = ids
        self.lengths = lengths
        self.length = length
    }

    /// The real ids of row `index`, without padding.
    public func row(_ index: Int) -> [Int32] {
        Array(ids[(index * length)..<(index * length + lengths[index])])
    }

    /// The decoder inputs and outputs for teacher forcing on `targets`.
    ///
    /// Inputs are `[startID] + target`, outputs `target + [endID]`, both padded with `padID`,
    /// so position `t` of the inputs predicts position `t` of the outputs.
    public static func teacherForcing(
        targets: [[Int32]], startID: Int32, endID: Int32, padID: Int32
    ) -> (inputs: TokenBatch, outputs: TokenBatch) {
        (
            TokenBatch(rows: targets.map { [startID] + $0 }, padID: padID),
            TokenBatch(rows: targets.map { $0 + [endID] }, padID: padID)
        )
    }
}
