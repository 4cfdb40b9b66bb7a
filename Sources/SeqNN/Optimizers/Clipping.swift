import SeqKernels
import SeqTensor

/// Rescales the gradients of `parameters` so that their global L2 norm is at most `maxNorm`,
/// as `torch.nn.utils.clip_grad_norm_`, and returns the norm before clipping.
///
/// The norm is taken over every gradient together, `√(Σ g²)`; when it exceeds `maxNorm`
/// each gradient is multiplied by `maxNorm / (norm + 1e-6)`. Parameters without a gradient
/// are ignored. The sum runs over fixed-size chunks added in order, so the result is
/// bit-identical on any number of cores.
///
/// If the norm is not finite (an overflow or a NaN in some gradient) the gradients are left
/// as they are and the norm is returned, so the caller can skip the step.
///
/// - Parameters:
///   - parameters: Usually `model.parameters()` or `optimizer.parameters.map(\.parameter)`.
///   - maxNorm: The largest norm allowed, greater than 0.
/// - Returns: The global norm of the gradients before clipping.
/// - Complexity: Two passes over the gradients when clipping, one otherwise.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    precondition(maxNorm > 0, "clipGradientNorm: maxNorm must be positive, got \(maxNorm)")
    var sumOfSquares = 0.0
    for parameter in parameters {
        guard let gradient = parameter.gradient else { continue }
        sumOfSquares += gradient.withUnsafeBufferPointer { g in
            chunkedSumOfSquares(g.tensorBase, count: g.count)
        }
    }
    let norm = Float(sumOfSquares.squareRoot())
    let coefficient = maxNorm / (norm + 1e-6)
    guard norm.isFinite, coefficient < 1 else { return norm }
    for parameter in parameters {
        parameter.gradient?.withUnsafeMutableBufferPointer { g in
            scaleInPlace(g.tensorBase, count: g.count, by: coefficient)
        }
    }
    return norm
}
