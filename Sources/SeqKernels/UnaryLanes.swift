/// Lane-wise bodies of `UnaryOperator` and `UnaryDerivative`; each one is specialised into the
/// kernels of Unary.swift.

private let zeros = SIMD16<Float>(repeating: 0)
/// `√(2/π)`, the scale inside tanh-approximated GELU.
private let geluTanhScale: Float = 0.797_884_560_802_865_4
/// The cubic coefficient of tanh-approximated GELU.
private let geluTanhCubic: Float = 0.044_715
/// `1/√2`.
private let inverseSquareRootOfTwo: Float = 0.707_106_781_186_547_5
/// `1/√(2π)`, the peak of the standard normal density.
private let normalDensityScale: Float = 0.398_942_280_401_432_7

/// Derivatives are evaluated at the input clamped to this magnitude: beyond it they already
/// equal their limits (0 or 1) in Float, and clamping keeps `inf · 0` from producing NaN.
@inline(__always)
private func clampedForDerivative(_ x: SIMD16<Float>) -> SIMD16<Float> {
    var v = x.replacing(with: -1e4, where: x .< -1e4)
    v.replace(with: 1e4, where: v .> 1e4)
    return v
}

/// The standard normal CDF `Φ(x) = erfc(-x/√2) / 2`, through `erfc(|x|/√2)` so that both tails
/// keep their relative precision.
@inline(__always)
private func gaussianCDF(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let halfTail = 0.5 * vectorErfcOfNonNegative(vectorAbs(x) * inverseSquareRootOfTwo)
    return halfTail.replacing(with: 1 - halfTail, where: x .> 0)
}

enum ExpLanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { vectorExp(x) }
}

enum LogLanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { vectorLog(x) }
}

enum SquareRootLanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { x.squareRoot() }
}

enum ReciprocalSquareRootLanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> {
        1 / x.squareRoot()
    }
}

enum AbsoluteLanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { vectorAbs(x) }
}

enum SquareLanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { x * x }
}

enum TanhLanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { vectorTanh(x) }
}

enum SigmoidLanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { vectorSigmoid(x) }
}

enum ReLULanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> {
        x.replacing(with: 0, where: x .< 0)
    }
}

enum GELULanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> {
        x * gaussianCDF(x)
    }
}

/// `0.5 · x · (1 + tanh(u))` written as `x · sigmoid(2u)`, which has no cancellation for
/// negative `x`.
enum GELUTanhLanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let u = geluTanhScale * (x + geluTanhCubic * x * x * x)
        return x * vectorSigmoid(u + u)
    }
}

enum SiLULanes: UnaryLanes {
    @inline(__always) static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> {
        x * vectorSigmoid(x)
    }
}

enum TanhDerivativeLanes: UnaryDerivativeLanes {
    @inline(__always)
    static func apply(saved y: SIMD16<Float>, gradient g: SIMD16<Float>) -> SIMD16<Float> {
        g * (1 - y * y)
    }
}

enum SigmoidDerivativeLanes: UnaryDerivativeLanes {
    @inline(__always)
    static func apply(saved y: SIMD16<Float>, gradient g: SIMD16<Float>) -> SIMD16<Float> {
        g * y * (1 - y)
    }
}

enum ReLUDerivativeLanes: UnaryDerivativeLanes {
    @inline(__always)
    static func apply(saved y: SIMD16<Float>, gradient g: SIMD16<Float>) -> SIMD16<Float> {
        zeros.replacing(with: g, where: y .> 0)
    }
}

enum AbsoluteDerivativeLanes: UnaryDerivativeLanes {
    @inline(__always)
    static func apply(saved x: SIMD16<Float>, gradient g: SIMD16<Float>) -> SIMD16<Float> {
        zeros.replacing(with: g, where: x .> 0).replacing(with: -g, where: x .< 0)
    }
}

enum GELUDerivativeLanes: UnaryDerivativeLanes {
    @inline(__always)
    static func apply(saved x: SIMD16<Float>, gradient g: SIMD16<Float>) -> SIMD16<Float> {
        let v = clampedForDerivative(x)
        let density = normalDensityScale * vectorExp(-0.5 * v * v)
        return g * (gaussianCDF(v) + v * density)
    }
}

/// `d/dx [x · s]` with `s = sigmoid(2u)`: `s + x · s · (1 - s) · 2u'`.
enum GELUTanhDerivativeLanes: UnaryDerivativeLanes {
    @inline(__always)
    static func apply(saved x: SIMD16<Float>, gradient g: SIMD16<Float>) -> SIMD16<Float> {
        let v = clampedForDerivative(x)
        let square = v * v
        let u = geluTanhScale * (v + geluTanhCubic * square * v)
        let s = vectorSigmoid(u + u)
        let slope = (2 * geluTanhScale) * (1 + (3 * geluTanhCubic) * square)
        return g * (s + v * s * (1 - s) * slope)
    }
}

enum SiLUDerivativeLanes: UnaryDerivativeLanes {
    @inline(__always)
    static func apply(saved x: SIMD16<Float>, gradient g: SIMD16<Float>) -> SIMD16<Float> {
        let v = clampedForDerivative(x)
        let s = vectorSigmoid(v)
        return g * s * (1 + v * (1 - s))
    }
}
