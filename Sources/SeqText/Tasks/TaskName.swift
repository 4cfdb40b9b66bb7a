/// The algorithmic tasks that `TaskGenerator` produces and `TaskFile` reads and writes.
///
/// The raw value is the name used on the command line and in configs.
public enum TaskName: String, CaseIterable, Sendable, Codable {
    /// Copy a sequence of integer tokens in `1...maxValue`; the target is the same tokens.
    case copy
    /// Reverse a sequence of integer tokens in `1...maxValue`; the target is the tokens reversed.
    case reverse
    /// Sort floats drawn from U(0,1) (Order Matters); the target is the input positions in
    /// ascending order of value.
    case sort
    /// Sort integers in `1...maxValue` with repeats (task hinting's main task); the target is the
    /// input positions in ascending order of value, equal values in input order (a stable sort).
    case sortIntegers = "sort-integers"
    /// The successor hint of task hinting (PAPERS.md §10) for `sortIntegers`: the target is the
    /// tokens `a_1 s_1 a_2 s_2 … a_n s_n`, where `s_i` is the value that follows element `i` in
    /// the stable sorted order, or 0 (never an input value) for the element sorted last.
    case sortIntegersSuccessor = "sort-integers-successor"
    /// Add two numbers of L digits each. Inputs: the L digits of `a` (most significant first,
    /// zero-padded), the separator token 10, the L digits of `b`; the target is the L + 1 digits
    /// of `a + b`, most significant first, zero-padded. Tokens 0–9 are digits.
    case addition
    /// The convex hull of points drawn from U[0,1]²: the target is the hull's vertices as input
    /// positions, counter-clockwise, starting from the lowest position among them; points on an
    /// edge of the hull (collinear) are not vertices.
    case convexHull = "convex-hull"
    /// The planar travelling salesman problem on points drawn from U[0,1]²: the target is a
    /// closed tour as input positions, starting at 0, the second city being the nearer-indexed
    /// (smaller) of the two neighbours of city 0. Optimal (Held–Karp) for up to
    /// `TravellingSalesman.exactLimit` cities, 2-opt from a nearest-neighbour tour beyond.
    case tsp
    /// The Delaunay triangulation of points drawn from U[0,1]²: the target is the triangles,
    /// three positions each in increasing order, the triangles ordered by incentre (x, then y),
    /// flattened (`a1 b1 c1 a2 b2 c2 …`).
    case delaunay

    /// What a target holds.
    public enum TargetKind: Sendable, Equatable {
        /// 0-based positions of input elements.
        case indices
        /// Output tokens (non-negative integers).
        case tokens
    }

    /// The separator token between the two operands of `addition`.
    public static let additionSeparator = 10

    /// The number of input values per element: 2 for points, 1 for numbers and tokens.
    public var elementSize: Int {
        switch self {
        case .convexHull, .tsp, .delaunay: 2
        default: 1
        }
    }

    /// Whether targets are input positions or output tokens.
    public var targetKind: TargetKind {
        switch self {
        case .sort, .sortIntegers, .convexHull, .tsp, .delaunay: .indices
        case .copy, .reverse, .sortIntegersSuccessor, .addition: .tokens
        }
    }

    /// Whether input values are integers (tokens), written without a decimal point.
    public var hasIntegerInputs: Bool {
        switch self {
        case .copy, .reverse, .sortIntegers, .sortIntegersSuccessor, .addition: true
        case .sort, .convexHull, .tsp, .delaunay: false
        }
    }

    /// The shortest length `TaskGenerator` accepts: 3 points for `convex-hull` and `delaunay`,
    /// else 1.
    public var minimumLength: Int {
        switch self {
        case .convexHull, .delaunay: 3
        default: 1
        }
    }

    /// The default of `maxValue` for tasks over integer tokens (the largest token drawn).
    public var defaultMaxValue: Int {
        switch self {
        case .addition: 9
        default: 100
        }
    }

    /// The number of input elements of `example` (`inputs.count / elementSize`).
    public func elementCount(of example: TaskExample) -> Int {
        example.inputs.count / elementSize
    }

    /// The length an example was generated with (`--length`): the number of elements, or for
    /// `addition` the number of digits of each operand.
    public func length(of example: TaskExample) -> Int {
        switch self {
        case .addition: (example.inputs.count - 1) / 2
        default: elementCount(of: example)
        }
    }

    /// The names, comma-separated, for messages.
    public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
