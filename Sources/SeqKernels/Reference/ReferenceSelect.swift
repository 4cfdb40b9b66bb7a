/// Naive twin of `selectBroadcast`: one multi-index per element, no SIMD, no threads.
package func referenceSelect(
    _ condition: UnsafePointer<Float>, _ whenTrue: UnsafePointer<Float>,
    _ whenFalse: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, shape: [Int],
    conditionStrides: [Int], trueStrides: [Int], falseStrides: [Int]
) {
    let count = shape.reduce(1, *)
    for flat in 0..<count {
        var remainder = flat
        var (offsetC, offsetA, offsetB) = (0, 0, 0)
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            let index = remainder % shape[axis]
            remainder /= shape[axis]
            offsetC += index * conditionStrides[axis]
            offsetA += index * trueStrides[axis]
            offsetB += index * falseStrides[axis]
        }
        out[flat] = condition[offsetC] != 0 ? whenTrue[offsetA] : whenFalse[offsetB]
    }
}
