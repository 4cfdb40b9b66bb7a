import SeqTensor

/// A trainable tensor.
///
/// A class, so optimizers and checkpoint loaders update it in place.
///
/// Reading `value` while gradients are recorded makes it a leaf of the graph: `backward()`
/// adds its gradient to `gradient`, which the optimizer reads and `zeroGradient()` clears.
public final class Parameter: GradientSink {
    private var stored: Tensor
    /// The gradient accumulated by `backward()` since the last `zeroGradient()`, if any.
    public var gradient: Tensor?
    /// Whether `backward()` reaches this parameter; `false` freezes it.
    public var isTrainable = true

    /// Creates a parameter holding `value` (detached from any graph).
    public init(_ value: Tensor) { stored = value.detached() }

    /// The current value; a leaf of the graph when trainable and gradients are recorded.
    public var value: Tensor {
        get { isTrainable ? stored.trackedAsLeaf(of: self) : stored }
        set { stored = newValue.detached() }
    }

    /// The shape of the value.
    public var shape: [Int] { stored.shape }

    /// The current value, never tracked: what optimizers read and checkpoints save.
    package var untrackedValue: Tensor { stored }

    /// Calls `body` with the stored elements to overwrite in place, outside the graph.
    ///
    /// Copies first if the storage is shared (a saved state dictionary, a live graph), so
    /// tensors handed out earlier keep their values.
    package func updateInPlace<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try stored.withUnsafeMutableBufferPointer(body)
    }

    /// Adds `gradient` to the accumulated gradient; called by `backward()`.
    public func accumulateGradient(_ gradient: Tensor) {
        self.gradient = self.gradient.map { $0 + gradient } ?? gradient
    }

    /// Forgets the accumulated gradient.
    public func zeroGradient() { gradient = nil }
}
