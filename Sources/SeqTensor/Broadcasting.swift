import SeqKernels

/// The untracked result of `op` applied elementwise to `a` and `b` with NumPy broadcasting.
///
/// `name` is the user-facing op name used in the shape-mismatch message.
package func binaryResult(_ op: BinaryOperator, _ a: Tensor, _ b: Tensor, name: String) -> Tensor {
    let shape = a.shape == b.shape ? a.shape : broadcastShape(a.shape, b.shape, op: name)
    let result = Tensor(uninitializedShape: shape)
    guard result.count > 0 else { return result }
    let layout = BroadcastLayout(
        shape: shape, leftStrides: broadcastStrides(of: a.shape, to: shape),
        rightStrides: broadcastStrides(of: b.shape, to: shape))
    binaryBroadcast(
        op, a.storage.pointer, b.storage.pointer, result.storage.pointer, layout: layout)
    return result
}

extension Tensor {
    /// This gradient summed over the axes that broadcasting added or stretched.
    ///
    /// The result has `target` shape. The tape calls it once per input; ops never need to.
    package func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        precondition(
            broadcastShape(target, shape, op: "summed(toShape:)") == shape,
            "summed(toShape:): gradient of shape \(shape) does not broadcast from \(target)")
        let offset = rank - target.count
        var axes = Array(0..<offset)
        for axis in target.indices where target[axis] == 1 && shape[axis + offset] != 1 {
            axes.append(axis + offset)
        }
        return sum(axes: axes, keepingDimensions: true).reshaped(target)
    }
}
