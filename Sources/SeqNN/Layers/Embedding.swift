import SeqTensor

/// Looks up one learned vector per token id.
///
/// Shapes: ids of any shape `S` (given as a flat row-major `[Int32]` plus `S`), output
/// `S + [modelSize]`. The gradient scatters back into the rows that were read.
/// Initialisation: `N(0, 1)`, as PyTorch's `nn.Embedding`.
public final class Embedding: Module {
    /// The table of vectors, shape `[vocabularySize, modelSize]`.
    public let weight: Parameter

    /// The number of ids the table holds.
    public var vocabularySize: Int { weight.shape[0] }
    /// The size of each vector.
    public var modelSize: Int { weight.shape[1] }

    /// Creates a table of `vocabularySize` vectors of size `modelSize` drawn from `generator`.
    public init(vocabularySize: Int, modelSize: Int, using generator: inout SeededGenerator) {
        precondition(
            vocabularySize > 0 && modelSize > 0,
            "Embedding: sizes must be positive, got \(vocabularySize) × \(modelSize)")
        weight = Parameter(.normal([vocabularySize, modelSize], using: &generator))
    }

    /// The vectors of `ids`, laid out as `shape + [modelSize]`.
    ///
    /// - Parameters:
    ///   - ids: Token ids in row-major order, each in `0..<vocabularySize`.
    ///   - shape: The shape of the id grid, such as `[B, T]`; its product is `ids.count`.
    /// - Returns: The vectors, shape `shape + [modelSize]`.
    public func callAsFunction(_ ids: [Int32], shape: [Int]) -> Tensor {
        precondition(
            shape.reduce(1, *) == ids.count,
            "Embedding: shape \(shape) needs \(shape.reduce(1, *)) ids, got \(ids.count)")
        return weight.value.embeddingLookup(ids: ids, shape: shape)
    }
}
