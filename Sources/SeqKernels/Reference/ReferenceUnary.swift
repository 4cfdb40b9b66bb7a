import Foundation

/// Naive twin of `unaryMap`: one element at a time, through Foundation's functions in Double.
package func referenceUnaryMap(
    _ op: UnaryOperator, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    count: Int
) {
    for i in 0..<count { out[i] = Float(referenceUnary(op, Double(x[i]))) }
}

/// Naive twin of `unaryBackward`.
package func referenceUnaryBackward(
    _ derivative: UnaryDerivative, saved: UnsafePointer<Float>, gradient: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>, count: Int
) {
    for i in 0..<count {
        out[i] = Float(Double(gradient[i]) * referenceDerivative(derivative, Double(saved[i])))
    }
}

/// Naive twin of `clampMap`.
package func referenceClamp(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
    lowerBound: Float, upperBound: Float
) {
    for i in 0..<count {
        out[i] = x[i] < lowerBound ? lowerBound : x[i] > upperBound ? upperBound : x[i]
    }
}

/// The textbook formula of each `UnaryOperator`.
package func referenceUnary(_ op: UnaryOperator, _ x: Double) -> Double {
    switch op {
    case .exp: return Foundation.exp(x)
    case .log: return Foundation.log(x)
    case .sqrt: return x.squareRoot()
    case .rsqrt: return 1 / x.squareRoot()
    case .abs: return Swift.abs(x)
    case .square: return x * x
    case .tanh: return Foundation.tanh(x)
    case .sigmoid: return 1 / (1 + Foundation.exp(-x))
    case .relu: return x < 0 ? 0 : x
    case .gelu: return 0.5 * x * erfc(-x / 2.0.squareRoot())
    case .geluTanh:
        let inner = (2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)
        return 0.5 * x * (1 + Foundation.tanh(inner))
    case .silu: return x / (1 + Foundation.exp(-x))
    }
}

/// The textbook derivative of each `UnaryDerivative`, at the saved value.
package func referenceDerivative(_ derivative: UnaryDerivative, _ v: Double) -> Double {
    switch derivative {
    case .tanhFromOutput: return 1 - v * v
    case .sigmoidFromOutput: return v * (1 - v)
    case .reluFromOutput: return v > 0 ? 1 : 0
    case .abs: return v > 0 ? 1 : v < 0 ? -1 : 0
    case .gelu:
        let cdf = 0.5 * erfc(-v / 2.0.squareRoot())
        return cdf + v * Foundation.exp(-0.5 * v * v) / (2 * Double.pi).squareRoot()
    case .geluTanh:
        let scale = (2 / Double.pi).squareRoot()
        let t = Foundation.tanh(scale * (v + 0.044715 * v * v * v))
        return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * scale * (1 + 3 * 0.044715 * v * v)
    case .silu:
        let s = 1 / (1 + Foundation.exp(-v))
        return s * (1 + v * (1 - s))
    }
}
