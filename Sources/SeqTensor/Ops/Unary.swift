import SeqKernels

/// Which formula `gelu(approximation:)` uses; the names and meanings are PyTorch's
/// `approximate` argument.
public enum GELUApproximation: String, Codable, Sendable {
    /// The exact form `x · Φ(x)`, with `Φ` the standard normal CDF, through `erf`.
    case none
    /// The tanh form `0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))`.
    case tanh
}

/// The untracked result of a unary kernel applied to every element of `x`.
package func unaryResult(_ op: UnaryOperator, _ x: Tensor) -> Tensor {
    let result = Tensor(uninitializedShape: x.shape)
    unaryMap(op, x.storage.pointer, result.storage.pointer, count: x.count)
    return result
}

/// The untracked `gradient · f'(saved)` of a fused unary backward; both have the same shape.
package func unaryDerivativeResult(
    _ derivative: UnaryDerivative, saved: Tensor, gradient: Tensor
) -> Tensor {
    precondition(
        saved.shape == gradient.shape,
        "unary backward: gradient shape \(gradient.shape) differs from \(saved.shape)")
    let result = Tensor(uninitializedShape: saved.shape)
    unaryBackward(
        derivative, saved: saved.storage.pointer, gradient: gradient.storage.pointer,
        result.storage.pointer, count: saved.count)
    return result
}

extension Tensor {
    /// Elementwise `e^x`.
    public func exp() -> Tensor {
        let value = unaryResult(.exp, self)
        return value.recorded(from: [self]) { g in [g * value] }
    }

    /// Elementwise natural logarithm: `-inf` at 0, NaN below 0.
    public func log() -> Tensor {
        let x = detached()
        return unaryResult(.log, self).recorded(from: [self]) { g in [g / x] }
    }

    /// Elementwise square root.
    public func sqrt() -> Tensor {
        let value = unaryResult(.sqrt, self)
        return value.recorded(from: [self]) { g in [g / (2 * value)] }
    }

    /// Elementwise reciprocal square root, `1 / √x`.
    public func rsqrt() -> Tensor {
        let value = unaryResult(.rsqrt, self)
        // d/dx x^(-1/2) = -x^(-3/2) / 2 = -y³ / 2.
        return value.recorded(from: [self]) { g in [g * (value * value * value * -0.5)] }
    }

    /// Elementwise square, `x²`.
    public func square() -> Tensor {
        let x = detached()
        return unaryResult(.square, self).recorded(from: [self]) { g in [g * (2 * x)] }
    }

    /// Every element raised to `exponent` (`powf`: a negative base with a fractional exponent
    /// gives NaN).
    public func pow(_ exponent: Float) -> Tensor {
        if exponent == 2 { return square() }
        let x = detached()
        let value = binaryResult(.power, self, Tensor(exponent), name: "pow")
        return value.recorded(from: [self]) { g in
            // As in PyTorch, a zero exponent has a zero derivative even at x = 0.
            guard exponent != 0 else { return [.zeros(x.shape)] }
            return [g * (exponent * x.pow(exponent - 1))]
        }
    }

    /// Elementwise `self` raised to `exponent`, with NumPy broadcasting; differentiable with
    /// respect to both.
    ///
    /// The base gradient is `b · a^(b-1)` (0 where `b == 0`) and the exponent gradient
    /// `a^b · ln a` (0 where `a == 0` and `b >= 0`), as in PyTorch.
    public func pow(_ exponent: Tensor) -> Tensor {
        let (a, b) = (detached(), exponent.detached())
        let (baseTracked, exponentTracked) = (isTracked, exponent.isTracked)
        let value = binaryResult(.power, self, exponent, name: "pow")
        return value.recorded(from: [self, exponent]) { g in
            var gradients: [Tensor?] = [nil, nil]
            if baseTracked {
                let slope = (b * a.pow(b - 1)).maskedFill(where: b .== 0, with: 0)
                gradients[0] = g * slope
            }
            if exponentTracked {
                let zeroBase = (a .== 0) * (b .>= 0)
                let slope = (value * a.log()).maskedFill(where: zeroBase, with: 0)
                gradients[1] = g * slope
            }
            return gradients
        }
    }

    /// Elementwise absolute value; the derivative at 0 is taken as 0.
    public func abs() -> Tensor {
        let x = detached()
        return unaryResult(.abs, self).recorded(from: [self]) { g in
            [unaryDerivativeResult(.abs, saved: x, gradient: g)]
        }
    }

    /// Elementwise hyperbolic tangent.
    public func tanh() -> Tensor {
        let value = unaryResult(.tanh, self)
        return value.recorded(from: [self]) { g in
            [unaryDerivativeResult(.tanhFromOutput, saved: value, gradient: g)]
        }
    }

    /// Elementwise logistic function, `1 / (1 + e^{-x})`.
    public func sigmoid() -> Tensor {
        let value = unaryResult(.sigmoid, self)
        return value.recorded(from: [self]) { g in
            [unaryDerivativeResult(.sigmoidFromOutput, saved: value, gradient: g)]
        }
    }

    /// Elementwise `max(x, 0)`; the derivative at 0 is taken as 0.
    public func relu() -> Tensor {
        let value = unaryResult(.relu, self)
        return value.recorded(from: [self]) { g in
            [unaryDerivativeResult(.reluFromOutput, saved: value, gradient: g)]
        }
    }

    /// Elementwise Gaussian error linear unit, `x · Φ(x)`, exact or tanh-approximated.
    ///
    /// `approximation` is PyTorch's `approximate`: `.none` for the erf form, `.tanh` for
    /// `0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))`.
    public func gelu(approximation: GELUApproximation = .none) -> Tensor {
        let x = detached()
        let (forward, derivative): (UnaryOperator, UnaryDerivative) =
            approximation == .tanh ? (.geluTanh, .geluTanh) : (.gelu, .gelu)
        return unaryResult(forward, self).recorded(from: [self]) { g in
            [unaryDerivativeResult(derivative, saved: x, gradient: g)]
        }
    }

    /// Elementwise sigmoid linear unit (swish), `x · sigmoid(x)`.
    public func silu() -> Tensor {
        let x = detached()
        return unaryResult(.silu, self).recorded(from: [self]) { g in
            [unaryDerivativeResult(.silu, saved: x, gradient: g)]
        }
    }

    /// Every element limited to `[min, max]`; a `nil` bound is not applied and NaN stays NaN.
    ///
    /// The gradient passes where `min <= x <= max` (bounds included, as in PyTorch) and is 0
    /// elsewhere.
    public func clamped(min: Float? = nil, max: Float? = nil) -> Tensor {
        let (lower, upper) = (min ?? -.infinity, max ?? .infinity)
        precondition(lower <= upper, "clamped: min \(lower) exceeds max \(upper)")
        let x = detached()
        let value = Tensor(uninitializedShape: shape)
        clampMap(
            storage.pointer, value.storage.pointer, count: count, lowerBound: lower,
            upperBound: upper)
        // Inside the bounds the value equals the input; outside it does not.
        return value.recorded(from: [self]) { g in [g * (value .== x)] }
    }
}
