/// Turns a possibly negative `axis` into an index in `0..<rank`; traps, naming `op`, if out of range.
package func normalizedAxis(_ axis: Int, rank: Int, op: String) -> Int {
    let normalized = axis < 0 ? axis + rank : axis
    precondition(
        normalized >= 0 && normalized < rank,
        "\(op): axis \(axis) is out of range for rank \(rank)")
    return normalized
}

/// Row-major strides, in elements, of a contiguous tensor of `shape`.
package func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in shape.indices.reversed() {
        strides[axis] = running
        running *= shape[axis]
    }
    return strides
}

/// The NumPy broadcast of two shapes; traps, naming `op` and both shapes, if they do not fit.
package func broadcastShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
    let rank = max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        precondition(
            x == y || x == 1 || y == 1, "\(op): shapes \(a) and \(b) cannot be broadcast together")
        result[i] = x == 1 ? y : x
    }
    return result
}

/// Strides that read a contiguous tensor of `shape` as if it had `target` shape (stride 0 on
/// broadcast axes).
package func broadcastStrides(of shape: [Int], to target: [Int]) -> [Int] {
    let own = contiguousStrides(shape)
    let offset = target.count - shape.count
    return target.indices.map { axis in
        guard axis >= offset else { return 0 }
        return shape[axis - offset] == 1 && target[axis] != 1 ? 0 : own[axis - offset]
    }
}
