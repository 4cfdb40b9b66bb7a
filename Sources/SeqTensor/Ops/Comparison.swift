import SeqKernels

extension Tensor {
    /// `1` where the elements are equal, else `0`, with broadcasting; not differentiable.
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor {
        binaryResult(.equal, lhs, rhs, name: ".==")
    }

    /// `1` where the elements differ (NaN differs from everything), else `0`, with
    /// broadcasting; not differentiable.
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor {
        binaryResult(.subtract, Tensor(1), binaryResult(.equal, lhs, rhs, name: ".!="), name: ".!=")
    }

    /// `1` where `lhs < rhs`, else `0`, with broadcasting; not differentiable.
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor {
        binaryResult(.less, lhs, rhs, name: ".<")
    }

    /// `1` where `lhs <= rhs`, else `0`, with broadcasting; not differentiable.
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor {
        binaryResult(.lessOrEqual, lhs, rhs, name: ".<=")
    }

    /// `1` where `lhs > rhs`, else `0`, with broadcasting; not differentiable.
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor {
        binaryResult(.greater, lhs, rhs, name: ".>")
    }

    /// `1` where `lhs >= rhs`, else `0`, with broadcasting; not differentiable.
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor {
        binaryResult(.greaterOrEqual, lhs, rhs, name: ".>=")
    }

    /// `1` where an element equals `rhs`, else `0`; not differentiable.
    public static func .== (lhs: Tensor, rhs: Float) -> Tensor { lhs .== Tensor(rhs) }
    /// `1` where an element differs from `rhs`, else `0`; not differentiable.
    public static func .!= (lhs: Tensor, rhs: Float) -> Tensor { lhs .!= Tensor(rhs) }
    /// `1` where an element is below `rhs`, else `0`; not differentiable.
    public static func .< (lhs: Tensor, rhs: Float) -> Tensor { lhs .< Tensor(rhs) }
    /// `1` where an element is at most `rhs`, else `0`; not differentiable.
    public static func .<= (lhs: Tensor, rhs: Float) -> Tensor { lhs .<= Tensor(rhs) }
    /// `1` where an element is above `rhs`, else `0`; not differentiable.
    public static func .> (lhs: Tensor, rhs: Float) -> Tensor { lhs .> Tensor(rhs) }
    /// `1` where an element is at least `rhs`, else `0`; not differentiable.
    public static func .>= (lhs: Tensor, rhs: Float) -> Tensor { lhs .>= Tensor(rhs) }

    /// This tensor with `value` wherever `mask` is nonzero; `mask` broadcasts to this shape.
    ///
    /// The gradient is zero at the filled positions. A typical use is hiding attention scores:
    /// `scores.maskedFill(where: padding, with: -.infinity)`.
    public func maskedFill(where mask: Tensor, with value: Float) -> Tensor {
        let fits =
            mask.shape.count <= rank
            && zip(mask.shape.reversed(), shape.reversed()).allSatisfy { $0 == 1 || $0 == $1 }
        precondition(fits, "maskedFill: mask of shape \(mask.shape) does not broadcast to \(shape)")
        let condition = mask.detached()
        let result = selectResult(condition, Tensor(value), self, op: "maskedFill")
        return result.recorded(from: [self]) { g in
            [selectResult(condition, Tensor(0), g, op: "maskedFill backward")]
        }
    }
}

/// Elements of `whenTrue` where `condition` is nonzero (NaN counts as true), of `whenFalse`
/// elsewhere; all three broadcast together.
///
/// Differentiable with respect to `whenTrue` and `whenFalse`: each gets the output gradient
/// where it was chosen and zero elsewhere. Unlike `mask * a + (1 - mask) * b`, an infinite
/// value that is not chosen cannot turn the result into NaN.
public func select(where condition: Tensor, _ whenTrue: Tensor, _ whenFalse: Tensor) -> Tensor {
    let mask = condition.detached()
    let (trueTracked, falseTracked) = (whenTrue.isTracked, whenFalse.isTracked)
    let value = selectResult(mask, whenTrue, whenFalse, op: "select")
    return value.recorded(from: [whenTrue, whenFalse]) { g in
        [
            trueTracked ? selectResult(mask, g, Tensor(0), op: "select backward") : nil,
            falseTracked ? selectResult(mask, Tensor(0), g, op: "select backward") : nil,
        ]
    }
}

/// The untracked result of `select(where:_:_:)`; `op` names the caller in shape errors.
package func selectResult(
    _ condition: Tensor, _ whenTrue: Tensor, _ whenFalse: Tensor, op: String
) -> Tensor {
    let shapes = [condition.shape, whenTrue.shape, whenFalse.shape]
    let rank = shapes.map(\.count).max() ?? 0
    var shape = [Int](repeating: 1, count: rank)
    for operand in shapes {
        for (axis, size) in operand.enumerated() where size != 1 {
            let target = axis + rank - operand.count
            precondition(
                shape[target] == 1 || shape[target] == size,
                "\(op): condition \(condition.shape), whenTrue \(whenTrue.shape) and whenFalse \(whenFalse.shape) cannot be broadcast together"
            )
            shape[target] = size
        }
    }
    let result = Tensor(uninitializedShape: shape)
    guard result.count > 0 else { return result }
    let layout = SelectLayout(
        shape: shape, conditionStrides: broadcastStrides(of: condition.shape, to: shape),
        trueStrides: broadcastStrides(of: whenTrue.shape, to: shape),
        falseStrides: broadcastStrides(of: whenFalse.shape, to: shape))
    selectBroadcast(
        condition.storage.pointer, whenTrue.storage.pointer, whenFalse.storage.pointer,
        result.storage.pointer, layout: layout)
    return result
}
