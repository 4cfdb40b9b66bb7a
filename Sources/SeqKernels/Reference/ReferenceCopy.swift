/// Naive twin of `permuteCopy`: one multi-index per output element, no merging, no threads.
package func referencePermuteCopy(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    shape: [Int], permutation: [Int]
) {
    let inputStrides = referenceStrides(shape)
    let outputShape = permutation.map { shape[$0] }
    let count = shape.reduce(1, *)
    for flat in 0..<count {
        var remainder = flat
        var offset = 0
        for axis in outputShape.indices.reversed() {
            offset += (remainder % outputShape[axis]) * inputStrides[permutation[axis]]
            remainder /= outputShape[axis]
        }
        out[flat] = x[offset]
    }
}

/// Naive twin of `blockCopy`: one element at a time.
package func referenceBlockCopy(
    _ source: UnsafePointer<Float>, sourceStride: Int,
    _ destination: UnsafeMutablePointer<Float>, destinationStride: Int,
    blockCount: Int, blockLength: Int
) {
    for block in 0..<blockCount {
        for i in 0..<blockLength {
            destination[block * destinationStride + i] = source[block * sourceStride + i]
        }
    }
}

/// Naive twin of `padCopy`: decides inside or border for every output element.
package func referencePadCopy(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    shape: [Int], before: [Int], after: [Int], value: Float
) {
    let outputShape = shape.indices.map { before[$0] + shape[$0] + after[$0] }
    let inputStrides = referenceStrides(shape)
    let count = outputShape.reduce(1, *)
    for flat in 0..<count {
        var remainder = flat
        var offset = 0
        var inside = true
        for axis in outputShape.indices.reversed() {
            let i = remainder % outputShape[axis] - before[axis]
            remainder /= outputShape[axis]
            inside = inside && i >= 0 && i < shape[axis]
            offset += i * inputStrides[axis]
        }
        out[flat] = inside ? x[offset] : value
    }
}

/// Naive twin of `cropCopy`: one multi-index per output element.
package func referenceCropCopy(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    shape: [Int], start: [Int], outputShape: [Int]
) {
    let inputStrides = referenceStrides(shape)
    let count = outputShape.reduce(1, *)
    for flat in 0..<count {
        var remainder = flat
        var offset = 0
        for axis in outputShape.indices.reversed() {
            offset += (remainder % outputShape[axis] + start[axis]) * inputStrides[axis]
            remainder /= outputShape[axis]
        }
        out[flat] = x[offset]
    }
}

/// Row-major strides of `shape`, recomputed here so the twins share no code with the kernels.
func referenceStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in shape.indices.dropLast().reversed() {
        strides[axis] = strides[axis + 1] * shape[axis + 1]
    }
    return strides
}
