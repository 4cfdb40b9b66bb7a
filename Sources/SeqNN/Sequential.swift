import SeqTensor

/// Applies its layers one after another: `layers[n-1](… layers[1](layers[0](x)))`.
///
/// Parameter paths go through the array index: a `Sequential` of two `Linear`s has
/// `layers.0.weight`, `layers.0.bias`, `layers.1.weight`, `layers.1.bias`.
///
/// Shapes: whatever the first layer accepts, to whatever the last layer returns.
public final class Sequential: UnaryLayer {
    /// The layers, in the order they are applied.
    public let layers: [any UnaryLayer]

    /// Creates a chain of `layers`; an empty chain is the identity.
    public init(_ layers: [any UnaryLayer]) { self.layers = layers }

    /// Creates a chain of `layers`; an empty chain is the identity.
    public convenience init(_ layers: any UnaryLayer...) { self.init(layers) }

    /// Applies every layer in order to `input`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        layers.reduce(input) { output, layer in layer(output) }
    }
}
