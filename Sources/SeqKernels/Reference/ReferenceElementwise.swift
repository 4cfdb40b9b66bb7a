/// Naive twin of `binaryBroadcast`: one multi-index per element, no SIMD, no threads.
package func referenceBinaryBroadcast(
    _ op: BinaryOperator, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>, shape: [Int], leftStrides: [Int], rightStrides: [Int]
) {
    let count = shape.reduce(1, *)
    for flat in 0..<count {
        var remainder = flat
        var offsetA = 0
        var offsetB = 0
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            let index = remainder % shape[axis]
            remainder /= shape[axis]
            offsetA += index * leftStrides[axis]
            offsetB += index * rightStrides[axis]
        }
        out[flat] = referenceApply(op, a[offsetA], b[offsetB])
    }
}

/// The scalar meaning of each `BinaryOperator`.
package func referenceApply(_ op: BinaryOperator, _ x: Float, _ y: Float) -> Float {
    switch op {
    case .add: return x + y
    case .subtract: return x - y
    case .multiply: return x * y
    case .divide: return x / y
    case .maximum: return max(x, y)
    case .minimum: return min(x, y)
    case .equal: return x == y ? 1 : 0
    case .less: return x < y ? 1 : 0
    case .lessOrEqual: return x <= y ? 1 : 0
    case .greater: return x > y ? 1 : 0
    case .greaterOrEqual: return x >= y ? 1 : 0
    case .power: return powf(x, y)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
