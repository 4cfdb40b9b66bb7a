import SeqTensor

/// Zeroes each element with probability `p` while training and scales the rest by `1/(1−p)`.
///
/// In evaluation (`isTraining == false`) or with `p = 0` it returns its input unchanged.
/// Masks come from a generator the layer owns, split off the generator passed at
/// construction, so each dropout layer has its own reproducible stream.
///
/// Shapes: input and output of any shape.
public final class Dropout: UnaryLayer, TrainingModeSwitchable {
    /// The probability `p` of zeroing an element, in `[0, 1)`.
    public let probability: Float
    /// Whether masks are applied; `true` after construction, as in PyTorch.
    public var isTraining = true
    private var generator: SeededGenerator

    /// Creates a dropout layer whose masks are drawn from a child of `generator`.
    ///
    /// Draws one number from `generator` to pick the child's index, so two layers built from
    /// the same generator get different streams.
    public init(probability: Float, using generator: inout SeededGenerator) {
        precondition(
            probability >= 0 && probability < 1,
            "Dropout: probability must be in [0, 1), got \(probability)")
        self.probability = probability
        self.generator = generator.child(generator.next())
    }

    /// Applies dropout to `input` while training; returns `input` otherwise.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard isTraining, probability > 0 else { return input }
        return input.dropout(probability: probability, using: &generator)
    }
}
