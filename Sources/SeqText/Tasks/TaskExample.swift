/// One example of an algorithmic task: flat input values and a target sequence.
///
/// `inputs` holds the elements one after another, `elementSize` values each (see
/// `TaskName.elementSize`): points are `x1 y1 x2 y2 …`, numbers and tokens one value each.
/// `target` holds 0-based input positions or output tokens, as `TaskName.targetKind` says.
public struct TaskExample: Sendable, Equatable, Hashable {
    /// The input values, element after element.
    public var inputs: [Float]
    /// The target: input positions (0-based) or output tokens.
    public var target: [Int]

    /// Creates an example from its flat inputs and its target.
    public init(inputs: [Float], target: [Int]) {
        self.inputs = inputs
        self.target = target
    }
}
