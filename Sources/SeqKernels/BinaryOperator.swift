/// An elementwise operation of two floats, applied lane-wise by the broadcasting kernel.
package enum BinaryOperator: Sendable {
    case add, subtract, multiply, divide, maximum, minimum
    /// `1` where `a == b`, else `0`.
    case equal
    /// `1` where `a < b`, else `0`.
    case less
    /// `1` where `a <= b`, else `0`.
    case lessOrEqual
    /// `1` where `a > b`, else `0`.
    case greater
    /// `1` where `a >= b`, else `0`.
    case greaterOrEqual
    /// `a` raised to `b`, through `Foundation.pow` one lane at a time.
    case power
}

/// Lane-wise bodies of the binary operators; each one is specialised into the kernels.
protocol BinaryLanes: SendableMetatype {
    static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float>
    static func apply(_ a: Float, _ b: Float) -> Float
}

enum AddLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a + b
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b }
}

enum SubtractLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a - b
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a - b }
}

enum MultiplyLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a * b
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b }
}

enum DivideLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a / b
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a / b }
}

enum MaximumLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        pointwiseMax(a, b)
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { Swift.max(a, b) }
}

enum MinimumLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        pointwiseMin(a, b)
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { Swift.min(a, b) }
}

private let ones = SIMD16<Float>(repeating: 1)
private let zeros = SIMD16<Float>(repeating: 0)

enum EqualLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        zeros.replacing(with: ones, where: a .== b)
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 }
}

enum LessLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        zeros.replacing(with: ones, where: a .< b)
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a < b ? 1 : 0 }
}

enum LessOrEqualLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        zeros.replacing(with: ones, where: a .<= b)
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 }
}

enum GreaterLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        zeros.replacing(with: ones, where: a .> b)
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a > b ? 1 : 0 }
}

enum GreaterOrEqualLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        zeros.replacing(with: ones, where: a .>= b)
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 }
}

enum PowerLanes: BinaryLanes {
    @inline(__always) static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        var result = SIMD16<Float>()
        for lane in 0..<16 { result[lane] = powf(a[lane], b[lane]) }
        return result
    }
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { powf(a, b) }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
