import SeqTensor

// Legend: B examples, S the most elements of any example, d element size.

/// A batch of inputs for a pointer model: sequences (or sets) of elements of different
/// lengths, zero-padded into one tensor.
///
/// Element `j` of example `b` is `elements[b, j, :]` for `j < lengths[b]`; the rest is padding,
/// which the model masks.
///
/// ```swift
/// // Two sorting inputs (numbers, element size 1) of lengths 3 and 2.
/// let batch = PointerBatch(inputs: [[0.3, 0.9, 0.1], [0.5, 0.2]], elementSize: 1)
/// ```
public struct PointerBatch: Sendable {
    /// The elements, zero-padded: `[B, S, d]`.
    public let elements: Tensor
    /// The number of elements `n` of each example.
    public let lengths: [Int]

    /// The number of examples `B`.
    public var count: Int { lengths.count }
    /// The most elements of any example, `S`.
    public var maxLength: Int { elements.shape[1] }
    /// The number of values per element, `d`.
    public var elementSize: Int { elements.shape[2] }

    /// Creates a batch from the flat values of each example (`x1 y1 x2 y2 …` for points).
    ///
    /// - Parameters:
    ///   - inputs: One array per example holding `n · elementSize` values, `n ≥ 1`.
    ///   - elementSize: The number of values per element.
    public init(inputs: [[Float]], elementSize: Int) {
        precondition(
            !inputs.isEmpty && elementSize > 0,
            "PointerBatch: needs at least one example and a positive element size, got \(inputs.count) and \(elementSize)"
        )
        for (index, values) in inputs.enumerated() {
            precondition(
                !values.isEmpty && values.count.isMultiple(of: elementSize),
                "PointerBatch: example \(index) has \(values.count) values, not a positive multiple of the element size \(elementSize)"
            )
        }
        let lengths = inputs.map { $0.count / elementSize }
        let maxLength = lengths.max() ?? 1
        var padded = [Float](repeating: 0, count: inputs.count * maxLength * elementSize)
        for (index, values) in inputs.enumerated() {
            let start = index * maxLength * elementSize
            padded.replaceSubrange(start..<(start + values.count), with: values)
        }
        self.elements = Tensor(
            shape: [inputs.count, maxLength, elementSize], scalars: padded)
        self.lengths = lengths
    }

}
