/// `e^x` for 16 lanes at once, to about 1e-7 relative error over the normal range.
///
/// Range reduction writes `x = n · ln 2 + r` with `n` an integer and `|r| ≤ ln 2 / 2`, evaluates
/// `e^r` with a degree-6 polynomial (`1 + r + r² · p(r)`, `p` a minimax quartic), and multiplies
/// by `2^n` built in the exponent bits, in two halves so that results near the ends of the
/// range (subnormal below −87.3, up to `Float.greatestFiniteMagnitude` at 88.72) come out
/// right. Inputs are clamped first: large negative inputs (and −∞) give exactly 0, inputs above
/// 88.73 (and +∞) give +∞, and only NaN gives NaN. Plain multiplies, adds and compares (no
/// `fma`, no `rounded()`), so it vectorises on the baseline x86-64 target as well as on ARM.
@inline(__always)
package func vectorExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    // e^−105 rounds to 0 and e^89 overflows, so clamping there changes no result.
    let low = SIMD16<Float>(repeating: -105)
    let high = SIMD16<Float>(repeating: 89)
    var v = x.replacing(with: low, where: x .< low)  // NaN compares false and stays NaN
    v = v.replacing(with: high, where: v .> high)
    let (y, shifted) = reducedExponential(v)
    // n ∈ [−152, 129] is too wide for one exponent field: scale by 2^(n − n/2), then 2^(n/2).
    let n = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
    let half = n &>> 1
    let first = unsafeBitCast((n &- half &+ 127) &<< 23, to: SIMD16<Float>.self)
    let second = unsafeBitCast((half &+ 127) &<< 23, to: SIMD16<Float>.self)
    return y * first * second
}

/// `e^x` like `vectorExp` for the kernels' inputs `x − max`, `x − logSumExp` and
/// log-probabilities, which are at most about 0: one exponent scaling instead of two.
///
/// Exact for inputs up to 88.37; inputs below −87.3 (subnormal results) give 0.
@inline(__always)
package func vectorExpNonPositive(_ x: SIMD16<Float>) -> SIMD16<Float> {
    // Any input ≤ −88 reduces to n = −127, whose exponent bits are 0: the result is exactly 0.
    let low = SIMD16<Float>(repeating: -88)
    let (y, shifted) = reducedExponential(x.replacing(with: low, where: x .< low))
    // (bits(shifted) << 23) is n << 23 (the magic number's own bits shift out); add the bias.
    let bits = unsafeBitCast(shifted, to: SIMD16<UInt32>.self) &<< 23 &+ 0x3F80_0000
    return y * unsafeBitCast(bits, to: SIMD16<Float>.self)
}

/// Splits `e^v = y · 2^n`: returns `y = e^r` and `n + 1.5 · 2²³`, whose low mantissa bits
/// hold the integer `n = round(v / ln 2)`.
@inline(__always)
private func reducedExponential(
    _ v: SIMD16<Float>
) -> (y: SIMD16<Float>, shifted: SIMD16<Float>) {
    // Adding 1.5 · 2²³ rounds to the nearest integer (the default rounding mode).
    let magic = SIMD16<Float>(repeating: 12_582_912)
    let shifted = v * 1.442_695_04 + magic
    let n = shifted - magic
    // ln 2 split in two so that n · 0.693359375 is exact (Cody–Waite).
    var r = v - n * 0.693_359_375
    r = r - n * -2.121_944_4e-4
    let z = r * r
    // Minimax fit of (e^r − 1 − r) / r² on |r| ≤ ln 2 / 2 (relative error 3e-9 before rounding).
    var p = r * 1.381_458_83e-3 + 8.368_708_19e-3
    p = p * r + 4.166_838_9e-2
    p = p * r + 1.666_652_11e-1
    p = p * r + 4.999_999_4e-1
    return (p * z + r + 1, shifted)
}
