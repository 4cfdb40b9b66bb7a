/// `1.5 · 2²³`: adding it to a float of magnitude below 2²² rounds to an integer held in the
/// low mantissa bits.
private let roundingShifter: Float = 12_582_912
private let shifterBits: Int32 = 0x4B40_0000

/// `e^x` for 16 lanes at once, within about 1.2e-7 relative of the correctly rounded result.
///
/// Cody–Waite range reduction `x = n · ln 2 + r` with `|r| ≤ ln 2 / 2`, Cephes' `expf`
/// polynomial for `e^r`, and `2^n` built in the exponent bits in two halves, so that subnormal
/// results and overflow to `+inf` come out right. Inputs below −110 (and −inf) give 0, above 89
/// (and +inf) give +inf, and only NaN gives NaN. Plain multiplies, adds and compares (no `fma`,
/// no `rounded()`), so it vectorises on the baseline x86-64 target.
@inline(__always)
package func vectorExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    // Beyond these bounds exp is 0 or inf in Float anyway; clamping keeps n in range.
    var v = x.replacing(with: -110, where: x .< -110)
    v.replace(with: 89, where: v .> 89)
    let shifted = v * 1.442_695_04 + roundingShifter
    let n = shifted - roundingShifter
    let r = v - n * 0.693_359_375 + n * 2.121_944_40e-4
    var p = r * 1.987_569_150_0e-4 + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    p = p * (r * r) + r + 1
    // 2^n as two factors so that n in [-159, 129] gives denormals and inf correctly.
    let exponent = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- shifterBits
    let half = exponent &>> 1
    let first = unsafeBitCast((half &+ 127) &<< 23, to: SIMD16<Float>.self)
    let second = unsafeBitCast((exponent &- half &+ 127) &<< 23, to: SIMD16<Float>.self)
    return p * first * second
}
