/// Reference-counted, 64-byte-aligned buffer of `Float`s under a `Tensor`.
///
/// Storage is written only while a new tensor is being built or when its owner holds the only
/// reference (copy-on-write), so sharing it between threads is safe.
public final class TensorStorage: @unchecked Sendable {
    /// First element; aligned to 64 bytes.
    package let pointer: UnsafeMutablePointer<Float>
    /// Number of elements.
    package let count: Int

    /// Allocates `count` uninitialised floats.
    package init(count: Int) {
        precondition(count >= 0, "TensorStorage: negative element count \(count)")
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
    }

    deinit { pointer.deallocate() }
}
