/// Naive twin of `gatherAlongAxis`: one multi-index per output element.
package func referenceGatherAlongAxis(
    _ x: UnsafePointer<Float>, shape: [Int], axis: Int,
    indices: UnsafePointer<Int32>, indexShape: [Int], _ out: UnsafeMutablePointer<Float>
) {
    let strides = referenceStrides(shape)
    for flat in 0..<indexShape.reduce(1, *) {
        out[flat] = x[referenceScatterOffset(flat, indexShape, strides, axis, Int(indices[flat]))]
    }
}

/// Naive twin of `scatterAddAlongAxis`: one element at a time, in index order.
package func referenceScatterAddAlongAxis(
    _ source: UnsafePointer<Float>, sourceShape: [Int], axis: Int,
    indices: UnsafePointer<Int32>, indexShape: [Int],
    into out: UnsafeMutablePointer<Float>, shape: [Int]
) {
    let strides = referenceStrides(shape)
    let sourceStrides = referenceStrides(sourceShape)
    for flat in 0..<indexShape.reduce(1, *) {
        let target = referenceScatterOffset(flat, indexShape, strides, axis, Int(indices[flat]))
        var remainder = flat
        var sourceOffset = 0
        for d in indexShape.indices.reversed() {
            sourceOffset += (remainder % indexShape[d]) * sourceStrides[d]
            remainder /= indexShape[d]
        }
        out[target] += source[sourceOffset]
    }
}

/// Offset, under `strides`, of element `flat` of `indexShape` with its `axis` coordinate
/// replaced by `index`.
private func referenceScatterOffset(
    _ flat: Int, _ indexShape: [Int], _ strides: [Int], _ axis: Int, _ index: Int
) -> Int {
    var remainder = flat
    var offset = 0
    for d in indexShape.indices.reversed() {
        let coordinate = d == axis ? index : remainder % indexShape[d]
        offset += coordinate * strides[d]
        remainder /= indexShape[d]
    }
    return offset
}

/// Naive twin of `indexSelectCopy`: three nested loops, one element at a time.
package func referenceIndexSelectCopy(
    _ x: UnsafePointer<Float>, outer: Int, axisLength: Int, inner: Int,
    indices: UnsafePointer<Int32>, indexCount: Int, _ out: UnsafeMutablePointer<Float>
) {
    for o in 0..<outer {
        for k in 0..<indexCount {
            for i in 0..<inner {
                out[(o * indexCount + k) * inner + i] =
                    x[(o * axisLength + Int(indices[k])) * inner + i]
            }
        }
    }
}

/// Naive twin of `indexAddAccumulate`: three nested loops, one element at a time.
package func referenceIndexAddAccumulate(
    _ source: UnsafePointer<Float>, outer: Int, indexCount: Int, inner: Int,
    indices: UnsafePointer<Int32>, into out: UnsafeMutablePointer<Float>, axisLength: Int
) {
    for o in 0..<outer {
        for k in 0..<indexCount {
            for i in 0..<inner {
                out[(o * axisLength + Int(indices[k])) * inner + i] +=
                    source[(o * indexCount + k) * inner + i]
            }
        }
    }
}
