/// Receives the gradient that `backward()` computes for a leaf (a trainable parameter).
public protocol GradientSink: AnyObject {
    /// Adds `gradient` (in the leaf's shape) to whatever the sink has accumulated so far.
    func accumulateGradient(_ gradient: Tensor)
}

/// One recorded op: the nodes of its inputs and how to map its output gradient onto them.
///
/// Backward closures capture only detached tensors, so the graph is a tree of strong
/// references from the output back to the leaves and is freed with the output, or as soon as
/// `backward()` has run.
package final class GraphNode: @unchecked Sendable {
    /// Nodes of the op's inputs, `nil` for inputs that need no gradient.
    var inputs: [GraphNode?]
    /// Shapes of the op's inputs; broadcast gradients are summed back to them.
    var inputShapes: [[Int]]
    /// Maps the output gradient to one gradient per input, each in the output's broadcast shape
    /// or the input's own shape; `nil` for an input that gets none.
    var backward: ((Tensor) -> [Tensor?])?
    /// Where a leaf's gradient goes.
    let sink: GradientSink?

    init(inputs: [GraphNode?], inputShapes: [[Int]], backward: @escaping (Tensor) -> [Tensor?]) {
        self.inputs = inputs
        self.inputShapes = inputShapes
        self.backward = backward
        self.sink = nil
    }

    init(sink: GradientSink) {
        inputs = []
        inputShapes = []
        backward = nil
        self.sink = sink
    }

    /// Drops the references to inputs and saved tensors.
    func release() {
        inputs = []
        inputShapes = []
        backward = nil
    }
}

extension Tensor {
    /// Attaches `backward` to this untracked result of an op over `inputs`.
    ///
    /// Does nothing when no input is tracked or inside `withoutGradients`, so inference records
    /// nothing. `backward` receives the output gradient and returns one gradient per input.
    package func recorded(
        from inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]
    ) -> Tensor {
        guard GradientRecording.isEnabled, inputs.contains(where: { $0.node != nil }) else {
            return self
        }
        let node = GraphNode(
            inputs: inputs.map(\.node), inputShapes: inputs.map(\.shape), backward: backward)
        return Tensor(shape: shape, storage: storage, node: node)
    }

    /// This value as a leaf of the graph whose gradient `backward()` hands to `sink`.
    ///
    /// Inside `withoutGradients` the value is returned untracked.
    public func trackedAsLeaf(of sink: GradientSink) -> Tensor {
        guard GradientRecording.isEnabled else { return detached() }
        return Tensor(shape: shape, storage: storage, node: GraphNode(sink: sink))
    }
}
