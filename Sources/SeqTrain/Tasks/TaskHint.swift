import SeqModels
import SeqText

/// Task hinting (Awasthi and Gupta 2023; PAPERS.md §10) for a pointer network sorting
/// integers: the same network also learns the successor hint, on a share of the training
/// examples, and is told which task an example is by one more input value per element (0 for
/// the main task, 1 for the hint).
///
/// The successor hint in pointer form is the paper's "Identity + Successor" map over
/// positions: for each element `i` in input order, `i` then the position that follows `i` in
/// the stable sorted order (the last element in that order is its own successor). Only the
/// main task is decoded and scored.
///
/// ```yaml
/// hint: {fraction: 0.5}
/// ```
public struct TaskHint: Sendable, Equatable {
    /// The share of training examples given as hint examples, in `(0, 1)`.
    public var fraction = 0.5

    /// Creates the settings.
    public init(fraction: Double = 0.5) {
        self.fraction = fraction
    }

    /// The tasks the successor hint is defined for.
    public static let tasks: Set<TaskName> = [.sortIntegers, .sort]

    /// The hint target of a sorting example: `i, succ(i)` for every input position `i`.
    ///
    /// - Precondition: `example.target` is a permutation of the input positions (the sorted
    ///   order).
    public static func successorTarget(of example: TaskExample) -> [Int] {
        let order = example.target
        precondition(
            order.sorted() == Array(0..<order.count),
            "TaskHint: target \(order) is not a permutation of the input positions")
        var successor = Array(0..<order.count)
        for (current, next) in zip(order, order.dropFirst()) { successor[current] = next }
        return successor.indices.flatMap { [$0, successor[$0]] }
    }

    func validate() throws {
        guard fraction > 0 && fraction < 1 else {
            throw ConfigError(key: "hint.fraction", detail: "must be in (0, 1), got \(fraction)")
        }
    }
}

extension TaskHint: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case fraction
    }

    /// Decodes strictly: unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        fraction = try container.decode(forKey: .fraction, default: 0.5)
    }
}
