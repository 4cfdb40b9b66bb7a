import SeqTensor

/// A module that maps one tensor to one tensor, so it can be chained in a `Sequential`.
///
/// Layers that take more than one input (attention) or ids (embeddings) do not conform; they
/// are called directly.
public protocol UnaryLayer: Module {
    /// Applies the layer to `input`; each conforming layer documents the shapes it accepts.
    func callAsFunction(_ input: Tensor) -> Tensor
}
