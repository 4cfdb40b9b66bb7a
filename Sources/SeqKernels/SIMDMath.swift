/// Vector transcendentals on `SIMD16<Float>`: range reduction plus a polynomial, no libm calls.
/// (`vectorExp` is in VectorExp.swift.)
///
/// Each function is within about 2e-7 relative of the correctly rounded result over the whole
/// `Float` range (denormal outputs excepted), maps NaN to NaN, and turns overflow into `±inf`
/// or `0` rather than NaN. The coefficients are Cephes' single-precision ones (`expf`,
/// `logf`, `tanhf`) and Numerical Recipes' `erfcc`.

/// `1.5 · 2²³` and its bit pattern: an integer `n` added to it sits in the low mantissa bits.
private let roundingShifter: Float = 12_582_912
private let shifterBits: Int32 = 0x4B40_0000

/// Natural logarithm lane by lane: `-inf` at 0, NaN below 0.
@inline(__always)
package func vectorLog(_ x: SIMD16<Float>) -> SIMD16<Float> {
    // Denormals are scaled into the normal range first.
    let denormal = x .< .leastNormalMagnitude
    let scaled = x.replacing(with: x * 8_388_608, where: denormal)
    let bits = unsafeBitCast(scaled, to: SIMD16<Int32>.self)
    var exponent = unsafeBitCast(((bits &>> 23) &- 126) &+ shifterBits, to: SIMD16<Float>.self)
    exponent -= roundingShifter
    exponent.replace(with: exponent - 23, where: denormal)
    // Mantissa in [0.5, 1); below √½ it is doubled so that m - 1 lies in [-0.29, 0.41].
    var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: SIMD16<Float>.self)
    let low = m .< 0.707_106_781_186_547_524
    exponent.replace(with: exponent - 1, where: low)
    m = m.replacing(with: m + m, where: low) - 1
    let z = m * m
    var y = m * 7.037_683_629_2e-2 - 1.151_461_031_0e-1
    y = y * m + 1.167_699_874_0e-1
    y = y * m - 1.242_014_084_6e-1
    y = y * m + 1.424_932_278_7e-1
    y = y * m - 1.666_805_766_5e-1
    y = y * m + 2.000_071_476_5e-1
    y = y * m - 2.499_999_399_3e-1
    y = y * m + 3.333_333_117_4e-1
    y = y * m * z
    y = y - exponent * 2.121_944_40e-4 - 0.5 * z
    var result = m + y + exponent * 0.693_359_375
    result.replace(with: .infinity, where: x .== .infinity)
    result.replace(with: -.infinity, where: x .== 0)
    result.replace(with: .nan, where: x .< 0)
    result.replace(with: x, where: x .!= x)
    return result
}

/// Hyperbolic tangent lane by lane; saturates to `±1` without overflow.
@inline(__always)
package func vectorTanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let sign = unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x8000_0000
    let a = vectorAbs(x)
    // Near zero an odd polynomial keeps full relative precision.
    let z = x * x
    var p = z * -5.704_988_727_45e-3 + 2.063_908_879_54e-2
    p = p * z - 5.373_971_555_31e-2
    p = p * z + 1.333_144_220_36e-1
    p = p * z - 3.333_328_194_22e-1
    let small = p * z * x + x
    // Elsewhere 1 - 2 / (e^{2|x|} + 1), with the sign put back.
    let large = 1 - 2 / (vectorExp(a + a) + 1)
    let signed = unsafeBitCast(
        unsafeBitCast(large, to: SIMD16<UInt32>.self) | sign, to: SIMD16<Float>.self)
    return signed.replacing(with: small, where: a .< 0.625)
}

/// The logistic function `1 / (1 + e^{-x})` lane by lane.
@inline(__always)
package func vectorSigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> {
    1 / (1 + vectorExp(-x))
}

/// The complementary error function of `z ≥ 0` lane by lane (fractional error below 2e-7).
@inline(__always)
package func vectorErfcOfNonNegative(_ z: SIMD16<Float>) -> SIMD16<Float> {
    let t = 1 / (1 + 0.5 * z)
    var p = t * 0.170_872_77 - 0.822_152_23
    p = p * t + 1.488_515_87
    p = p * t - 1.135_203_98
    p = p * t + 0.278_868_07
    p = p * t - 0.186_288_06
    p = p * t + 0.096_784_18
    p = p * t + 0.374_091_96
    p = p * t + 1.000_023_68
    p = p * t - 1.265_512_23
    return t * vectorExp(p - z * z)
}

/// Loads `count` (at most 16) floats from `p`, filling the remaining lanes with `padding`.
@inline(__always)
package func loadLanes(
    _ p: UnsafePointer<Float>, count: Int, padding: Float
) -> SIMD16<Float> {
    if count >= 16 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
    var lanes = SIMD16<Float>(repeating: padding)
    for lane in 0..<count { lanes[lane] = p[lane] }
    return lanes
}

/// Stores the first `count` (at most 16) lanes of `lanes` at `p`.
@inline(__always)
package func storeLanes(_ lanes: SIMD16<Float>, to p: UnsafeMutablePointer<Float>, count: Int) {
    if count >= 16 {
        UnsafeMutableRawPointer(p).storeBytes(of: lanes, as: SIMD16<Float>.self)
        return
    }
    for lane in 0..<count { p[lane] = lanes[lane] }
}

/// `|x|` lane by lane, by clearing the sign bit.
@inline(__always)
package func vectorAbs(_ x: SIMD16<Float>) -> SIMD16<Float> {
    unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: SIMD16<Float>.self)
}
