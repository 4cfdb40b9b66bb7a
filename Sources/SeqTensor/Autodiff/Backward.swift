extension Tensor {
    /// Back-propagates from this tensor and hands every leaf its gradient, then frees the graph.
    ///
    /// A scalar starts from a gradient of 1; any other tensor needs `seed`, the gradient of
    /// the final objective with respect to this tensor.
    public func backward(seed: Tensor? = nil) {
        guard let root = node else { return }
        let start =
            seed
            ?? {
                precondition(
                    count == 1, "backward: tensor of shape \(shape) is not a scalar; pass a seed")
                return Tensor.ones(shape)
            }()
        precondition(
            start.shape == shape, "backward: seed shape \(start.shape) differs from \(shape)")
        let order = topologicalOrder(from: root)
        var gradients: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): start.detached()]
        withoutGradients {
            for node in order.reversed() {
                guard let gradient = gradients.removeValue(forKey: ObjectIdentifier(node)) else {
                    node.release()
                    continue
                }
                if let sink = node.sink {
                    sink.accumulateGradient(gradient)
                    continue
                }
                guard let backward = node.backward else { continue }
                let inputGradients = backward(gradient)
                for (index, input) in node.inputs.enumerated() {
                    guard let input, let inputGradient = inputGradients[index] else { continue }
                    let reduced = inputGradient.summed(toShape: node.inputShapes[index])
                    let key = ObjectIdentifier(input)
                    if let existing = gradients[key] {
                        gradients[key] = existing + reduced
                    } else {
                        gradients[key] = reduced
                    }
                }
                node.release()
            }
        }
    }
}

/// Nodes reachable from `root`, each after all of its inputs (iterative depth-first search).
private func topologicalOrder(from root: GraphNode) -> [GraphNode] {
    var order: [GraphNode] = []
    var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
    var stack: [(node: GraphNode, nextInput: Int)] = [(root, 0)]
    while let (node, next) = stack.last {
        if next < node.inputs.count {
            stack[stack.count - 1].nextInput += 1
            if let input = node.inputs[next], visited.insert(ObjectIdentifier(input)).inserted {
                stack.append((input, 0))
            }
        } else {
            order.append(node)
            stack.removeLast()
        }
    }
    return order
}

/// Collects the gradient of a leaf created by `gradient(of:at:)`.
private final class GradientBox: GradientSink {
    var total: Tensor?
    func accumulateGradient(_ gradient: Tensor) {
        total = total.map { $0 + gradient } ?? gradient
    }
}

/// The value of `f` at `points` and its gradient with respect to each point.
///
/// `f` must return a scalar. Points that do not reach the output get zero gradients.
public func valueWithGradients(
    of f: ([Tensor]) -> Tensor, at points: [Tensor]
) -> (value: Tensor, gradients: [Tensor]) {
    let boxes = points.map { _ in GradientBox() }
    let tracked = GradientRecording.$isEnabled.withValue(true) {
        zip(points, boxes).map { $0.detached().trackedAsLeaf(of: $1) }
    }
    let value = GradientRecording.$isEnabled.withValue(true) { f(tracked) }
    value.backward()
    let gradients = zip(points, boxes).map { point, box in box.total ?? .zeros(point.shape) }
    return (value.detached(), gradients)
}

/// The gradient of the scalar function `f` at `point`.
public func gradient(of f: (Tensor) -> Tensor, at point: Tensor) -> Tensor {
    valueWithGradients(of: { f($0[0]) }, at: [point]).gradients[0]
}
