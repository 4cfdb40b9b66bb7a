/// An n-dimensional array of `Float`, contiguous and row-major, with value semantics.
///
/// Tensors share storage until one of them is mutated (copy-on-write). A tensor built by a
/// differentiable op while gradients are recorded remembers how it was made, so
/// `backward()` can reach the parameters it came from.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let x = Tensor.normal([2, 3], using: &generator)   // [2, 3]
/// let y = (x * 2 + 1).sum(axes: [1])                 // [2]
/// ```
public struct Tensor: Sendable {
    /// Sizes of the axes, outermost first.
    public let shape: [Int]
    package var storage: TensorStorage
    package var node: GraphNode?

    /// Wraps existing storage; `storage.count` must equal the product of `shape`.
    package init(shape: [Int], storage: TensorStorage, node: GraphNode? = nil) {
        precondition(
            shape.allSatisfy { $0 >= 0 }, "Tensor: negative axis size in shape \(shape)")
        precondition(
            storage.count == shape.reduce(1, *),
            "Tensor: shape \(shape) needs \(shape.reduce(1, *)) elements, storage has \(storage.count)"
        )
        self.shape = shape
        self.storage = storage
        self.node = node
    }

    /// Allocates an uninitialised tensor; callers fill every element before it escapes.
    package init(uninitializedShape shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(count: shape.reduce(1, *)))
    }

    /// Creates a tensor of the given shape from row-major `scalars`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(
            scalars.count == shape.reduce(1, *),
            "Tensor(shape:scalars:): shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)"
        )
        self.init(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            storage.pointer.update(from: base, count: scalars.count)
        }
    }

    /// Creates a rank-1 tensor from `scalars`.
    public init(_ scalars: [Float]) { self.init(shape: [scalars.count], scalars: scalars) }

    /// Creates a rank-0 tensor holding `scalar`.
    public init(_ scalar: Float) { self.init(shape: [], scalars: [scalar]) }

    /// Number of axes.
    public var rank: Int { shape.count }

    /// Number of elements.
    public var count: Int { storage.count }

    /// The elements in row-major order.
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// The only element of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "Tensor.scalar: tensor of shape \(shape) has \(count) elements")
        return storage.pointer[0]
    }

    /// Whether this tensor is part of a recorded graph (its gradient can flow back).
    public var isTracked: Bool { node != nil }

    /// The same values, cut off from the graph: gradients do not flow through the result.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// Calls `body` with the elements, read-only.
    public func withUnsafeBufferPointer<R>(
        _ body: (UnsafeBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Calls `body` with the elements to write, copying the storage first if it is shared.
    ///
    /// The result leaves the graph: writing in place cannot be differentiated.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            let copy = TensorStorage(count: count)
            copy.pointer.update(from: storage.pointer, count: count)
            storage = copy
        }
        node = nil
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }
}

extension Tensor: CustomStringConvertible {
    /// The shape and, for small tensors, the elements.
    public var description: String {
        let shown = count <= 64 ? "\(scalars)" : "\(Array(scalars.prefix(8))) … (\(count) elements)"
        return "Tensor\(shape) \(shown)"
    }
}
