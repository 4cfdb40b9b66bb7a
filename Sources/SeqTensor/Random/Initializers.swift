#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Tensor {
    /// A tensor of `shape` with every element `value`.
    public static func full(_ shape: [Int], _ value: Float) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        result.storage.pointer.update(repeating: value, count: result.count)
        result.node = nil
        return result
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { full(shape, 0) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { full(shape, 1) }

    /// `[start, start + step, …]` up to but excluding `end`, as a rank-1 tensor.
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
        precondition(step != 0, "arange: step must not be zero")
        let count = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        let result = Tensor(uninitializedShape: [count])
        for i in 0..<count { result.storage.pointer[i] = start + Float(i) * step }
        return result
    }

    /// Elements drawn uniformly from `range` by `generator`.
    public static func uniform(
        _ shape: [Int], in range: ClosedRange<Float> = 0...1,
        using generator: inout SeededGenerator
    ) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        let width = range.upperBound - range.lowerBound
        for i in 0..<result.count {
            result.storage.pointer[i] = range.lowerBound + width * generator.nextUnitFloat()
        }
        return result
    }

    /// Elements drawn from a normal distribution by `generator` (Box–Muller).
    public static func normal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        using generator: inout SeededGenerator
    ) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        var i = 0
        while i < result.count {
            // 1 - u keeps the logarithm's argument in (0, 1].
            let radius = (-2 * naturalLogarithm(1 - Double(generator.nextUnitFloat()))).squareRoot()
            let angle = 2 * Double.pi * Double(generator.nextUnitFloat())
            result.storage.pointer[i] = mean + standardDeviation * Float(radius * cos(angle))
            if i + 1 < result.count {
                result.storage.pointer[i + 1] =
                    mean + standardDeviation * Float(radius * sin(angle))
            }
            i += 2
        }
        return result
    }

    /// Ones where `generator` keeps an element (probability `keep`), zeros elsewhere.
    public static func bernoulli(
        _ shape: [Int], probability keep: Float, using generator: inout SeededGenerator
    ) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        for i in 0..<result.count {
            result.storage.pointer[i] = generator.nextUnitFloat() < keep ? 1 : 0
        }
        return result
    }
}

/// `ln x`, out here because `Tensor.log()` hides the global `log` inside `Tensor` extensions.
private func naturalLogarithm(_ x: Double) -> Double { log(x) }
