/// Shape and strides of a broadcast three-operand select, with mergeable axes folded together.
///
/// Strides are in elements; a broadcast axis has stride `0`. After folding, the last axis is
/// the contiguous inner loop and every other axis indexes a row.
package struct SelectLayout: Sendable {
    package var shape: [Int]
    package var conditionStrides: [Int]
    package var trueStrides: [Int]
    package var falseStrides: [Int]

    /// Folds adjacent axes that all three operands walk contiguously.
    package init(shape: [Int], conditionStrides: [Int], trueStrides: [Int], falseStrides: [Int]) {
        let operands = [conditionStrides, trueStrides, falseStrides]
        precondition(
            operands.allSatisfy { $0.count == shape.count },
            "SelectLayout: rank mismatch \(shape), \(conditionStrides), \(trueStrides), \(falseStrides)"
        )
        var dims: [Int] = []
        var strides: [[Int]] = [[], [], []]
        for axis in shape.indices where shape[axis] != 1 {
            if let last = dims.indices.last,
                operands.indices.allSatisfy({
                    strides[$0][last] == operands[$0][axis] * shape[axis]
                })
            {
                dims[last] *= shape[axis]
                for k in operands.indices { strides[k][last] = operands[k][axis] }
            } else {
                dims.append(shape[axis])
                for k in operands.indices { strides[k].append(operands[k][axis]) }
            }
        }
        if dims.isEmpty { (dims, strides) = ([1], [[1], [1], [1]]) }
        self.shape = dims
        self.conditionStrides = strides[0]
        self.trueStrides = strides[1]
        self.falseStrides = strides[2]
    }

    /// Number of elements of the output.
    package var count: Int { shape.reduce(1, *) }
}

/// Picks `whenTrue` where `condition` is nonzero and `whenFalse` elsewhere, with broadcasting.
///
/// `out[i] = condition[i] != 0 ? whenTrue[i] : whenFalse[i]`, the operands read through
/// `layout`'s strides and `out` contiguous. A NaN condition counts as true.
package func selectBroadcast(
    _ condition: UnsafePointer<Float>, _ whenTrue: UnsafePointer<Float>,
    _ whenFalse: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, layout: SelectLayout
) {
    guard layout.count > 0 else { return }
    nonisolated(unsafe) let (c, a, b, out) = (condition, whenTrue, whenFalse, out)  // disjoint rows
    let rank = layout.shape.count
    let width = layout.shape[rank - 1]
    let (innerC, innerA, innerB) = (
        layout.conditionStrides[rank - 1], layout.trueStrides[rank - 1],
        layout.falseStrides[rank - 1]
    )
    let rows = layout.count / width
    if rows == 1 {
        parallelFor(width, minimumChunk: elementwiseMinimumChunk) { range in
            let start = range.lowerBound
            selectRow(
                c + start * innerC, innerC, a + start * innerA, innerA, b + start * innerB, innerB,
                out + start, range.count)
        }
        return
    }
    let outerShape = Array(layout.shape.dropLast())
    let outerStrides = [
        Array(layout.conditionStrides.dropLast()), Array(layout.trueStrides.dropLast()),
        Array(layout.falseStrides.dropLast()),
    ]
    parallelFor(rows, minimumChunk: max(1, elementwiseMinimumChunk / width)) { range in
        for row in range {
            var remainder = row
            var (offsetC, offsetA, offsetB) = (0, 0, 0)
            for axis in stride(from: outerShape.count - 1, through: 0, by: -1) {
                let index = remainder % outerShape[axis]
                remainder /= outerShape[axis]
                offsetC += index * outerStrides[0][axis]
                offsetA += index * outerStrides[1][axis]
                offsetB += index * outerStrides[2][axis]
            }
            selectRow(
                c + offsetC, innerC, a + offsetA, innerA, b + offsetB, innerB, out + row * width,
                width)
        }
    }
}

/// One contiguous run: each operand steps by 1 (a vector) or 0 (a broadcast scalar).
@inline(__always)
private func selectRow(
    _ c: UnsafePointer<Float>, _ strideC: Int, _ a: UnsafePointer<Float>, _ strideA: Int,
    _ b: UnsafePointer<Float>, _ strideB: Int, _ out: UnsafeMutablePointer<Float>, _ count: Int
) {
    let rawOut = UnsafeMutableRawPointer(out)
    var i = 0
    while i + 16 <= count {
        let chosen = lanes(c, strideC, i) .!= 0
        let value = lanes(b, strideB, i).replacing(with: lanes(a, strideA, i), where: chosen)
        rawOut.storeBytes(of: value, toByteOffset: i * 4, as: SIMD16<Float>.self)
        i += 16
    }
    while i < count {
        out[i] = c[i * strideC] != 0 ? a[i * strideA] : b[i * strideB]
        i += 1
    }
}

/// Sixteen floats from `p + i`, or `p[0]` repeated when `stride` is 0.
@inline(__always)
private func lanes(_ p: UnsafePointer<Float>, _ stride: Int, _ i: Int) -> SIMD16<Float> {
    stride == 0
        ? SIMD16<Float>(repeating: p[0])
        : UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
}
