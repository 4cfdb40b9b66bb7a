/// An elementwise function of one float, applied by `unaryMap`.
package enum UnaryOperator: Sendable, CaseIterable {
    /// `e^x`.
    case exp
    /// `ln x`: `-inf` at 0, NaN below.
    case log
    /// `√x`.
    case sqrt
    /// `1 / √x`.
    case rsqrt
    /// `|x|`.
    case abs
    /// `x²`.
    case square
    /// Hyperbolic tangent.
    case tanh
    /// `1 / (1 + e^{-x})`.
    case sigmoid
    /// `max(x, 0)`; NaN stays NaN.
    case relu
    /// Exact GELU, `x · Φ(x)` with the Gaussian CDF `Φ`.
    case gelu
    /// Tanh-approximated GELU, `0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))`.
    case geluTanh
    /// `x · sigmoid(x)`.
    case silu
}

/// The derivative used by `unaryBackward`: `out = gradient · f'(·)`, from a saved tensor.
package enum UnaryDerivative: Sendable, CaseIterable {
    /// `1 - y²` from the saved output `y = tanh(x)`.
    case tanhFromOutput
    /// `y · (1 - y)` from the saved output `y = sigmoid(x)`.
    case sigmoidFromOutput
    /// `1` where the saved output `y = relu(x)` is positive, else `0`.
    case reluFromOutput
    /// `sign(x)` (0 at 0) from the input.
    case abs
    /// Derivative of exact GELU, `Φ(x) + x · φ(x)`, from the input.
    case gelu
    /// Derivative of tanh-approximated GELU, from the input.
    case geluTanh
    /// Derivative of SiLU, `s · (1 + x · (1 - s))` with `s = sigmoid(x)`, from the input.
    case silu
}

/// Elements per worker for unary kernels: transcendentals cost more per element than a sum.
private let unaryMinimumChunk = elementwiseMinimumChunk / 4

/// `out[i] = op(x[i])` for `count` floats; `out` may equal `x`.
package func unaryMap(
    _ op: UnaryOperator, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    count: Int
) {
    switch op {
    case .exp: map(ExpLanes.self, x, out, count)
    case .log: map(LogLanes.self, x, out, count)
    case .sqrt: map(SquareRootLanes.self, x, out, count)
    case .rsqrt: map(ReciprocalSquareRootLanes.self, x, out, count)
    case .abs: map(AbsoluteLanes.self, x, out, count)
    case .square: map(SquareLanes.self, x, out, count)
    case .tanh: map(TanhLanes.self, x, out, count)
    case .sigmoid: map(SigmoidLanes.self, x, out, count)
    case .relu: map(ReLULanes.self, x, out, count)
    case .gelu: map(GELULanes.self, x, out, count)
    case .geluTanh: map(GELUTanhLanes.self, x, out, count)
    case .silu: map(SiLULanes.self, x, out, count)
    }
}

/// `out[i] = gradient[i] · f'(saved[i])`, the fused backward of a unary op; `out` may alias
/// either input.
package func unaryBackward(
    _ derivative: UnaryDerivative, saved: UnsafePointer<Float>, gradient: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>, count: Int
) {
    switch derivative {
    case .tanhFromOutput: zipMap(TanhDerivativeLanes.self, saved, gradient, out, count)
    case .sigmoidFromOutput: zipMap(SigmoidDerivativeLanes.self, saved, gradient, out, count)
    case .reluFromOutput: zipMap(ReLUDerivativeLanes.self, saved, gradient, out, count)
    case .abs: zipMap(AbsoluteDerivativeLanes.self, saved, gradient, out, count)
    case .gelu: zipMap(GELUDerivativeLanes.self, saved, gradient, out, count)
    case .geluTanh: zipMap(GELUTanhDerivativeLanes.self, saved, gradient, out, count)
    case .silu: zipMap(SiLUDerivativeLanes.self, saved, gradient, out, count)
    }
}

/// `out[i] = x[i]` limited to `[lowerBound, upperBound]`; NaN stays NaN.
///
/// Pass `-.infinity` or `.infinity` for a missing bound.
package func clampMap(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
    lowerBound: Float, upperBound: Float
) {
    precondition(
        lowerBound <= upperBound, "clampMap: lower bound \(lowerBound) exceeds \(upperBound)")
    nonisolated(unsafe) let (x, out) = (x, out)  // workers write disjoint ranges
    let (low, high) = (SIMD16<Float>(repeating: lowerBound), SIMD16<Float>(repeating: upperBound))
    parallelFor(count, minimumChunk: elementwiseMinimumChunk) { range in
        var i = range.lowerBound
        while i < range.upperBound {
            let width = Swift.min(16, range.upperBound - i)
            var lanes = loadLanes(x + i, count: width, padding: 0)
            lanes.replace(with: low, where: lanes .< low)
            lanes.replace(with: high, where: lanes .> high)
            storeLanes(lanes, to: out + i, count: width)
            i += width
        }
    }
}

/// One op's body on 16 lanes; the tail of a range is padded into a full vector so that every
/// element goes through the same arithmetic.
protocol UnaryLanes: SendableMetatype {
    static func apply(_ x: SIMD16<Float>) -> SIMD16<Float>
}

/// One derivative's body on 16 lanes: `gradient · f'(saved)`.
protocol UnaryDerivativeLanes: SendableMetatype {
    static func apply(saved: SIMD16<Float>, gradient: SIMD16<Float>) -> SIMD16<Float>
}

private func map<Op: UnaryLanes>(
    _: Op.Type, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int
) {
    nonisolated(unsafe) let (x, out) = (x, out)  // workers write disjoint ranges
    parallelFor(count, minimumChunk: unaryMinimumChunk) { range in
        let rawX = UnsafeRawPointer(x)
        let rawOut = UnsafeMutableRawPointer(out)
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            let lanes = rawX.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            rawOut.storeBytes(of: Op.apply(lanes), toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        let tail = range.upperBound - i
        if tail > 0 {
            storeLanes(
                Op.apply(loadLanes(x + i, count: tail, padding: 0)), to: out + i, count: tail)
        }
    }
}

private func zipMap<Op: UnaryDerivativeLanes>(
    _: Op.Type, _ saved: UnsafePointer<Float>, _ gradient: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>, _ count: Int
) {
    nonisolated(unsafe) let (saved, gradient, out) = (saved, gradient, out)  // disjoint ranges
    parallelFor(count, minimumChunk: unaryMinimumChunk) { range in
        let rawSaved = UnsafeRawPointer(saved)
        let rawGradient = UnsafeRawPointer(gradient)
        let rawOut = UnsafeMutableRawPointer(out)
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            let s = rawSaved.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let g = rawGradient.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            rawOut.storeBytes(
                of: Op.apply(saved: s, gradient: g), toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        let tail = range.upperBound - i
        if tail > 0 {
            let s = loadLanes(saved + i, count: tail, padding: 0)
            let g = loadLanes(gradient + i, count: tail, padding: 0)
            storeLanes(Op.apply(saved: s, gradient: g), to: out + i, count: tail)
        }
    }
}
