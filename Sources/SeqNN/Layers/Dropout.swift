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
    /// The stream the masks come from; saved and restored by checkpoints so that a resumed
    /// run draws exactly the masks it would have drawn.
    public var generator: SeededGenerator

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

extension Module {
    /// The generator states of every `Dropout` below this module, in `modules()` order.
    public var dropoutStates: [UInt64] {
        modules().compactMap { ($0 as? Dropout)?.generator.state }
    }

    /// Restores generator states saved from `dropoutStates` of an identical module tree.
    public func restoreDropoutStates(_ states: [UInt64]) {
        let layers = modules().compactMap { $0 as? Dropout }
        precondition(
            layers.count == states.count,
            "restoreDropoutStates: \(states.count) states for \(layers.count) dropout layers")
        for (layer, state) in zip(layers, states) {
            layer.generator = SeededGenerator(state: state)
        }
    }
}
