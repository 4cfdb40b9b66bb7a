/// Shapes and strides of a broadcast binary operation, with mergeable axes folded together.
///
/// Strides are in elements; a broadcast axis has stride `0`. After folding, the last axis is
/// the contiguous inner loop and every other axis indexes a row.
package struct BroadcastLayout: Sendable {
    package var shape: [Int]
    package var leftStrides: [Int]
    package var rightStrides: [Int]

    /// Folds adjacent axes that both operands walk contiguously.
    package init(shape: [Int], leftStrides: [Int], rightStrides: [Int]) {
        precondition(
            shape.count == leftStrides.count && shape.count == rightStrides.count,
            "BroadcastLayout: rank mismatch \(shape), \(leftStrides), \(rightStrides)")
        var dims: [Int] = []
        var left: [Int] = []
        var right: [Int] = []
        for axis in shape.indices where shape[axis] != 1 {
            if let last = dims.indices.last,
                left[last] == leftStrides[axis] * shape[axis],
                right[last] == rightStrides[axis] * shape[axis]
            {
                dims[last] *= shape[axis]
                left[last] = leftStrides[axis]
                right[last] = rightStrides[axis]
            } else {
                dims.append(shape[axis])
                left.append(leftStrides[axis])
                right.append(rightStrides[axis])
            }
        }
        if dims.isEmpty { (dims, left, right) = ([1], [1], [1]) }
        self.shape = dims
        self.leftStrides = left
        self.rightStrides = right
    }

    /// Number of elements of the output.
    package var count: Int { shape.reduce(1, *) }
}

/// `out[i] = a[i] ∘ b[i]` with NumPy broadcasting described by `layout`; `out` is contiguous.
package func binaryBroadcast(
    _ op: BinaryOperator, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>, layout: BroadcastLayout
) {
    switch op {
    case .add: broadcast(AddLanes.self, a, b, out, layout)
    case .subtract: broadcast(SubtractLanes.self, a, b, out, layout)
    case .multiply: broadcast(MultiplyLanes.self, a, b, out, layout)
    case .divide: broadcast(DivideLanes.self, a, b, out, layout)
    case .maximum: broadcast(MaximumLanes.self, a, b, out, layout)
    case .minimum: broadcast(MinimumLanes.self, a, b, out, layout)
    case .equal: broadcast(EqualLanes.self, a, b, out, layout)
    case .less: broadcast(LessLanes.self, a, b, out, layout)
    case .lessOrEqual: broadcast(LessOrEqualLanes.self, a, b, out, layout)
    case .greater: broadcast(GreaterLanes.self, a, b, out, layout)
    case .greaterOrEqual: broadcast(GreaterOrEqualLanes.self, a, b, out, layout)
    case .power: broadcast(PowerLanes.self, a, b, out, layout)
    }
}

/// Elements per worker below which splitting costs more than it saves.
package let elementwiseMinimumChunk = 1 << 15

private func broadcast<Op: BinaryLanes>(
    _: Op.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>, _ layout: BroadcastLayout
) {
    nonisolated(unsafe) let (a, b, out) = (a, b, out)  // workers write disjoint output ranges
    let rank = layout.shape.count
    let width = layout.shape[rank - 1]
    let innerA = layout.leftStrides[rank - 1]
    let innerB = layout.rightStrides[rank - 1]
    let rows = layout.count / width
    if rows == 1 {
        parallelFor(width, minimumChunk: elementwiseMinimumChunk) { range in
            let start = range.lowerBound
            binaryRow(
                Op.self, a + start * innerA, innerA, b + start * innerB, innerB,
                out + start, range.count)
        }
        return
    }
    let outerShape = Array(layout.shape.dropLast())
    let outerA = Array(layout.leftStrides.dropLast())
    let outerB = Array(layout.rightStrides.dropLast())
    parallelFor(rows, minimumChunk: max(1, elementwiseMinimumChunk / width)) { range in
        for row in range {
            var remainder = row
            var offsetA = 0
            var offsetB = 0
            for axis in stride(from: outerShape.count - 1, through: 0, by: -1) {
                let index = remainder % outerShape[axis]
                remainder /= outerShape[axis]
                offsetA += index * outerA[axis]
                offsetB += index * outerB[axis]
            }
            binaryRow(Op.self, a + offsetA, innerA, b + offsetB, innerB, out + row * width, width)
        }
    }
}

/// One contiguous run: each operand steps by 1 (a vector) or 0 (a broadcast scalar).
@inline(__always)
private func binaryRow<Op: BinaryLanes>(
    _: Op.Type, _ a: UnsafePointer<Float>, _ strideA: Int, _ b: UnsafePointer<Float>,
    _ strideB: Int, _ out: UnsafeMutablePointer<Float>, _ count: Int
) {
    let rawA = UnsafeRawPointer(a)
    let rawB = UnsafeRawPointer(b)
    let rawOut = UnsafeMutableRawPointer(out)
    var i = 0
    switch (strideA, strideB) {
    case (1, 1):
        while i + 16 <= count {
            let x = rawA.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let y = rawB.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            rawOut.storeBytes(of: Op.apply(x, y), toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count { out[i] = Op.apply(a[i], b[i]); i += 1 }
    case (1, _):
        let y = SIMD16<Float>(repeating: b[0])
        while i + 16 <= count {
            let x = rawA.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            rawOut.storeBytes(of: Op.apply(x, y), toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count { out[i] = Op.apply(a[i], b[0]); i += 1 }
    case (_, 1):
        let x = SIMD16<Float>(repeating: a[0])
        while i + 16 <= count {
            let y = rawB.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            rawOut.storeBytes(of: Op.apply(x, y), toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count { out[i] = Op.apply(a[0], b[i]); i += 1 }
    default:
        out.update(repeating: Op.apply(a[0], b[0]), count: count)
    }
}

/// `out[i] += x[i]` over `count` floats.
package func accumulate(
    _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int
) {
    nonisolated(unsafe) let (x, out) = (x, out)  // workers touch disjoint ranges
    parallelFor(count, minimumChunk: elementwiseMinimumChunk) { range in
        let rawX = UnsafeRawPointer(x)
        let rawOut = UnsafeMutableRawPointer(out)
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            let sum =
                rawOut.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                + rawX.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            rawOut.storeBytes(of: sum, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < range.upperBound { out[i] += x[i]; i += 1 }
    }
}
