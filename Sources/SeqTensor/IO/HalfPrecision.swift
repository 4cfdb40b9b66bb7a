/// Converts IEEE 754 half-precision bits (safetensors `F16`) to `Float`, exactly.
///
/// Written with integer operations rather than `Float16`, which some platforms lack.
package func floatFromHalfBits(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32(bits >> 10) & 0x1F
    let mantissa = UInt32(bits) & 0x3FF
    switch exponent {
    case 0:
        // Zero or subnormal: mantissa · 2⁻²⁴, exact in `Float`.
        let magnitude = Float(mantissa) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    case 0x1F:
        // Infinity or NaN; the payload is kept.
        return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
    default:
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }
}

/// Converts bfloat16 bits (safetensors `BF16`), the top half of a `Float`, to `Float`.
package func floatFromBFloat16Bits(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}
