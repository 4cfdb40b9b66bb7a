import SeqKernels
import SeqTensor

/// The projected keys and values an attention layer has seen, kept between decoding steps.
///
/// For self attention the layer appends each step's keys and values; for cross attention
/// `MultiHeadAttention.projectedKeyValues(keys:values:)` projects the encoder output once and
/// every step reuses it. Keys are stored after rotary positions, if any, were applied.
///
/// Storage grows like an array's: each block of positions (one per row and key/value head)
/// has spare capacity, doubled when full, so appending a step copies only the new position
/// (amortised O(1) per position instead of the whole cache). `reorder(rows:)` gathers rows
/// into a second buffer that is kept and reused by the next reorder. A cache built from
/// tensors that record gradients stays those tensors (appends and reorders then go through
/// differentiable ops), so teacher forcing through a cache still trains.
///
/// Shapes: keys and values `[B, Hkv, S, headSize]` (`Hkv` key/value heads, `S` positions).
public struct KeyValueCache: Sendable {
    /// `[rowCapacity, Hkv, capacity, headSize]`; rows `..< batchSize` and positions
    /// `..< length` hold the cache.
    private var keyBuffer: Tensor
    /// As `keyBuffer`, for the values.
    private var valueBuffer: Tensor
    /// The buffers of the previous reorder, reused by the next one, or `nil`.
    private var spare: (keys: Tensor, values: Tensor)?

    /// The batch size, `B`.
    public private(set) var batchSize: Int
    /// The number of cached positions, `S`.
    public private(set) var length: Int
    /// The number `Hkv` of key/value heads.
    public var keyValueHeadCount: Int { keyBuffer.shape[1] }
    /// The size of each head's vectors.
    public var headSize: Int { keyBuffer.shape[3] }
    /// The positions each row can hold before the storage grows.
    public var capacity: Int { keyBuffer.shape[2] }

    /// Creates a cache holding `keys` and `values`, both `[B, Hkv, S, headSize]`, without
    /// copying them.
    public init(keys: Tensor, values: Tensor) {
        precondition(
            keys.rank == 4 && keys.shape == values.shape,
            "KeyValueCache: keys \(keys.shape) and values \(values.shape) must be equal [B, Hkv, S, headSize]"
        )
        keyBuffer = keys
        valueBuffer = values
        batchSize = keys.shape[0]
        length = keys.shape[2]
    }

    /// Creates an empty cache of `batchSize` rows with room for `capacity` positions.
    public init(batchSize: Int, keyValueHeadCount: Int, headSize: Int, capacity: Int) {
        precondition(
            batchSize >= 0 && keyValueHeadCount > 0 && headSize > 0 && capacity >= 0,
            "KeyValueCache: invalid sizes: \(batchSize) rows, \(keyValueHeadCount) heads of "
                + "\(headSize), capacity \(capacity)")
        let shape = [batchSize, keyValueHeadCount, capacity, headSize]
        keyBuffer = Tensor(uninitializedShape: shape)
        valueBuffer = Tensor(uninitializedShape: shape)
        self.batchSize = batchSize
        length = 0
    }

    /// The cached keys, `[B, Hkv, S, headSize]` (a copy when the storage has spare room).
    public var keys: Tensor { cached(keyBuffer) }

    /// The cached values, `[B, Hkv, S, headSize]` (a copy when the storage has spare room).
    public var values: Tensor { cached(valueBuffer) }

    /// Whether the buffers record gradients (built from tracked tensors).
    private var isTracked: Bool { keyBuffer.isTracked || valueBuffer.isTracked }

    /// Appends the keys and values of one or more new positions, `[B, Hkv, T, headSize]`.
    public mutating func append(keys newKeys: Tensor, values newValues: Tensor) {
        precondition(
            newKeys.shape == newValues.shape && newKeys.rank == 4
                && newKeys.shape[0] == batchSize && newKeys.shape[1] == keyValueHeadCount
                && newKeys.shape[3] == headSize,
            "KeyValueCache.append: keys \(newKeys.shape) and values \(newValues.shape) do not extend [\(batchSize), \(keyValueHeadCount), \(length), \(headSize)]"
        )
        if isTracked || newKeys.isTracked || newValues.isTracked {
            keyBuffer = concatenate([keys, newKeys], axis: 2)
            valueBuffer = concatenate([values, newValues], axis: 2)
            length = keyBuffer.shape[2]
            spare = nil
            return
        }
        let count = newKeys.shape[2]
        reserveCapacity(length + count)
        let (size, stride) = (count * headSize, capacity * headSize)
        let (blocks, offset) = (batchSize * keyValueHeadCount, length * headSize)
        for (new, isKeys) in [(newKeys, true), (newValues, false)] {
            new.withUnsafeBufferPointer { source in
                guard let source = source.baseAddress else { return }
                writeBuffer(keys: isKeys) { target in
                    for block in 0..<blocks {
                        (target + block * stride + offset).update(
                            from: source + block * size, count: size)
                    }
                }
            }
        }
        length += count
    }

    /// Keeps batch rows `rows`, in that order (beam search reorders hypotheses this way).
    ///
    /// Copies the cached positions of each kept row once, into the buffer the previous
    /// reorder left; rows may repeat and the batch may grow or shrink.
    public mutating func reorder(rows: [Int32]) {
        precondition(
            rows.allSatisfy { $0 >= 0 && Int($0) < batchSize },
            "KeyValueCache.reorder: rows \(rows) out of range for a batch of \(batchSize)")
        if isTracked {
            keyBuffer = keys.indexSelect(axis: 0, indices: rows)
            valueBuffer = values.indexSelect(axis: 0, indices: rows)
            batchSize = rows.count
            return
        }
        let shape = [rows.count, keyValueHeadCount, capacity, headSize]
        var target = spare ?? (Tensor(uninitializedShape: shape), Tensor(uninitializedShape: shape))
        spare = nil
        if target.keys.shape[0] < rows.count || target.keys.shape[2] != capacity {
            target = (Tensor(uninitializedShape: shape), Tensor(uninitializedShape: shape))
        }
        let (heads, blockStride, used) = (keyValueHeadCount, capacity * headSize, length * headSize)
        func gather(_ source: Tensor, into buffer: inout Tensor) {
            source.withUnsafeBufferPointer { source in
                guard let source = source.baseAddress else { return }
                buffer.withUnsafeMutableBufferPointer { target in
                    guard let target = target.baseAddress else { return }
                    for (row, old) in rows.enumerated() {
                        for head in 0..<heads {
                            (target + (row * heads + head) * blockStride).update(
                                from: source + (Int(old) * heads + head) * blockStride,
                                count: used)
                        }
                    }
                }
            }
        }
        gather(keyBuffer, into: &target.keys)
        gather(valueBuffer, into: &target.values)
        spare = (keyBuffer, valueBuffer)
        (keyBuffer, valueBuffer) = target
        batchSize = rows.count
    }

    /// Makes room for `positions` positions per row without growing again, at least doubling
    /// the capacity when it grows.
    public mutating func reserveCapacity(_ positions: Int) {
        guard positions > capacity else { return }
        let newCapacity = max(positions, 2 * capacity, 16)
        let shape = [batchSize, keyValueHeadCount, newCapacity, headSize]
        let (blocks, used) = (batchSize * keyValueHeadCount, length * headSize)
        let (oldStride, newStride) = (capacity * headSize, newCapacity * headSize)
        func grown(_ buffer: Tensor) -> Tensor {
            var larger = Tensor(uninitializedShape: shape)
            buffer.withUnsafeBufferPointer { source in
                guard let source = source.baseAddress else { return }
                larger.withUnsafeMutableBufferPointer { target in
                    guard let target = target.baseAddress else { return }
                    for block in 0..<blocks {
                        (target + block * newStride).update(
                            from: source + block * oldStride, count: used)
                    }
                }
            }
            return larger
        }
        keyBuffer = grown(keyBuffer)
        valueBuffer = grown(valueBuffer)
        spare = nil
    }

    /// Appends one position per row from projected rows: row `r`'s key/value head `g` is read
    /// at `keys + r · rowStride + g · headSize` (and likewise from `values`).
    package mutating func appendPosition(
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, rowStride: Int
    ) {
        precondition(!isTracked, "KeyValueCache.appendPosition: the cache records gradients")
        reserveCapacity(length + 1)
        let (heads, size, stride) = (keyValueHeadCount, headSize, capacity * headSize)
        let (rows, offset) = (batchSize, length * headSize)
        for (source, isKeys) in [(keys, true), (values, false)] {
            writeBuffer(keys: isKeys) { target in
                for row in 0..<rows {
                    for head in 0..<heads {
                        (target + (row * heads + head) * stride + offset).update(
                            from: source + row * rowStride + head * size, count: size)
                    }
                }
            }
        }
        length += 1
    }

    /// Fills every position of an empty cache at once: `write` gets the key and value storage,
    /// `[B, Hkv, capacity, headSize]` each, to overwrite entirely; the cache then holds
    /// `capacity` positions.
    package mutating func fill(
        _ write: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        precondition(length == 0 && !isTracked, "KeyValueCache.fill: the cache is not empty")
        keyBuffer.withUnsafeMutableBufferPointer { keys in
            valueBuffer.withUnsafeMutableBufferPointer { values in
                guard let keys = keys.baseAddress, let values = values.baseAddress else { return }
                write(keys, values)
            }
        }
        length = capacity
    }

    /// Calls `body` with the cache described for `singleQueryAttention`: every position so
    /// far visible, rows reading their own blocks unless `rowBlocks` maps them.
    package func withAttentionKeys<R>(
        rowBlocks: UnsafePointer<Int32>? = nil, firstKeys: UnsafePointer<Int32>? = nil,
        endKeys: UnsafePointer<Int32>? = nil, _ body: (SingleQueryAttentionKeys) -> R
    ) -> R {
        keyBuffer.withUnsafeBufferPointer { keys in
            valueBuffer.withUnsafeBufferPointer { values in
                guard let keys = keys.baseAddress, let values = values.baseAddress else {
                    preconditionFailure("KeyValueCache: empty storage")
                }
                return body(
                    SingleQueryAttentionKeys(
                        keys: keys, values: values,
                        rowStride: keyValueHeadCount * capacity * headSize,
                        headStride: capacity * headSize, positionStride: headSize,
                        keyValueHeadCount: keyValueHeadCount, keyCount: length,
                        rowBlocks: rowBlocks, firstKeys: firstKeys, endKeys: endKeys))
            }
        }
    }

    /// Calls `body` with the key (or value) storage to write, copied first if it is shared.
    private mutating func writeBuffer(
        keys: Bool, _ body: (UnsafeMutablePointer<Float>) -> Void
    ) {
        func write(_ buffer: inout Tensor) {
            buffer.withUnsafeMutableBufferPointer { target in
                guard let target = target.baseAddress else { return }
                body(target)
            }
        }
        if keys { write(&keyBuffer) } else { write(&valueBuffer) }
    }

    /// `buffer` cut to `[B, Hkv, S, headSize]`: itself when it has no spare room.
    private func cached(_ buffer: Tensor) -> Tensor {
        if buffer.shape[0] == batchSize && buffer.shape[2] == length { return buffer }
        let (heads, used, stride) = (keyValueHeadCount, length * headSize, capacity * headSize)
        let result = Tensor(uninitializedShape: [batchSize, heads, length, headSize])
        buffer.withUnsafeBufferPointer { source in
            guard let source = source.baseAddress else { return }
            for block in 0..<(batchSize * heads) {
                (result.storage.pointer + block * used).update(
                    from: source + block * stride, count: used)
            }
        }
        return result
    }
}
