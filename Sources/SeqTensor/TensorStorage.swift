import Synchronization

/// Reference-counted, 64-byte-aligned buffer of `Float`s under a `Tensor`.
///
/// Storage is written only while a new tensor is being built or when its owner holds the only
/// reference (copy-on-write), so sharing it between threads is safe. Large buffers come from
/// and return to `StoragePool`, so a training step does not page-fault fresh memory for every
/// activation.
public final class TensorStorage: @unchecked Sendable {
    /// First element; aligned to 64 bytes.
    package let pointer: UnsafeMutablePointer<Float>
    /// Number of elements.
    package let count: Int

    /// Allocates `count` uninitialised floats.
    package init(count: Int) {
        precondition(count >= 0, "TensorStorage: negative element count \(count)")
        self.count = count
        pointer = StoragePool.shared.allocate(count: count)
    }

    deinit { StoragePool.shared.release(pointer, count: count) }
}

/// A cache of large freed buffers, reused by later allocations of the same size.
///
/// Fresh large allocations are mapped pages that fault on first touch, which costs as much
/// as the arithmetic of an elementwise op. Buffers of at least `minimumPooledCount` floats are
/// kept, up to `capacityBytes` in all, and handed out again by exact size.
package final class StoragePool: Sendable {
    /// The process-wide pool.
    package static let shared = StoragePool()

    /// Smallest buffer, in floats, worth pooling (smaller ones are cheap to allocate).
    package let minimumPooledCount = 1 << 16
    /// Most bytes kept in the pool; beyond this, freed buffers go back to the system.
    package let capacityBytes = 1 << 30

    /// A pooled buffer; owned by the pool alone while it sits there.
    private struct Buffer: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Float>
    }

    private struct State: ~Copyable {
        var free: [Int: [Buffer]] = [:]
        var pooledBytes = 0
    }
    private let state = Mutex(State())
    private let live = Atomic<Int>(0)

    /// Buffers currently owned by tensors; a leak of graph memory makes this grow.
    package var liveBufferCount: Int { live.load(ordering: .relaxed) }

    package func allocate(count: Int) -> UnsafeMutablePointer<Float> {
        live.add(1, ordering: .relaxed)
        if count >= minimumPooledCount {
            let reused = state.withLock { state -> Buffer? in
                guard let buffer = state.free[count]?.popLast() else { return nil }
                state.pooledBytes -= count * MemoryLayout<Float>.stride
                return buffer
            }
            if let reused { return reused.pointer }
        }
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
        return raw.bindMemory(to: Float.self, capacity: max(1, count))
    }

    package func release(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        live.subtract(1, ordering: .relaxed)
        if count >= minimumPooledCount {
            let bytes = count * MemoryLayout<Float>.stride
            let buffer = Buffer(pointer: pointer)
            let kept = state.withLock { state -> Bool in
                guard state.pooledBytes + bytes <= capacityBytes else { return false }
                state.free[count, default: []].append(buffer)
                state.pooledBytes += bytes
                return true
            }
            if kept { return }
        }
        pointer.deallocate()
    }

    /// Bytes currently held in the pool, not in use by any tensor.
    package var pooledBytes: Int { state.withLock { $0.pooledBytes } }
}
