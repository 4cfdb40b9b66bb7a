import SeqTensor

/// Updates a fixed list of parameters from their accumulated gradients.
///
/// An optimizer is built over named parameters, usually `module.namedParameters()`, and names
/// its state after them: `"<path>.exp_avg"`, `"<path>.momentum_buffer"`, `"<path>.step"`, as
/// PyTorch names the entries of its per-parameter state. `state` and `loadState(_:from:)`
/// round-trip that state exactly, so a restored run takes the same steps as an uninterrupted
/// one.
///
/// ```swift
/// let optimizer = AdamW(model, learningRate: 1e-3)
/// for batch in batches {
///     optimizer.learningRate = schedule.learningRate(at: step)
///     loss(model, batch).backward()
///     clipGradientNorm(model.parameters(), maxNorm: 1)
///     optimizer.step()
///     optimizer.zeroGradients()
/// }
/// ```
public protocol Optimizer: AnyObject {
    /// Step size of the next `step()`; a schedule sets it before each step.
    var learningRate: Float { get set }

    /// The parameters this optimizer updates, with the paths that name their state.
    var parameters: [(path: String, parameter: Parameter)] { get }

    /// Updates every parameter from its `gradient`, skipping frozen parameters and those
    /// without a gradient (their state does not advance either).
    func step()

    /// The optimizer's state as named tensors, for saving; parameters not yet updated have
    /// none. Step counts are stored as `Float` scalars, exact up to 2²⁴ steps.
    var state: [String: Tensor] { get }

    /// Replaces the whole state with `state` (as `state` returned it); all or nothing.
    ///
    /// - Parameters:
    ///   - state: Named tensors; parameters with no entries start fresh.
    ///   - file: Where `state` came from, for messages.
    /// - Throws: `CheckpointError` naming the tensor: a missing or unexpected entry, a shape
    ///   that differs from its parameter's, or a step count that is not a positive integer.
    func loadState(_ state: [String: Tensor], from file: String) throws
}

extension Optimizer {
    /// Forgets the accumulated gradient of every parameter of this optimizer.
    public func zeroGradients() {
        for (_, parameter) in parameters { parameter.zeroGradient() }
    }
}

/// The named parameters of one optimizer, with a lookup by path.
struct OptimizedParameters {
    let entries: [(path: String, parameter: Parameter)]
    let indexByPath: [String: Int]
    /// The optimizer's name, for messages.
    let owner: String

    init(_ entries: [(path: String, parameter: Parameter)], owner: String) {
        var indexByPath: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            precondition(
                indexByPath.updateValue(index, forKey: entry.path) == nil,
                "\(owner): parameter path `\(entry.path)` appears twice")
        }
        self.entries = entries
        self.indexByPath = indexByPath
        self.owner = owner
    }

    /// Paths `"0"`, `"1"`, … for parameters given without names.
    static func numbered(_ parameters: [Parameter]) -> [(path: String, parameter: Parameter)] {
        parameters.enumerated().map { (path: String($0.offset), parameter: $0.element) }
    }

    /// The gradient to apply to parameter `index`, or `nil` when it is frozen or has none.
    func gradient(at index: Int) -> Tensor? {
        let (path, parameter) = entries[index]
        guard parameter.isTrainable, let gradient = parameter.gradient else { return nil }
        precondition(
            gradient.shape == parameter.shape,
            "\(owner): gradient of `\(path)` has shape \(gradient.shape), parameter \(parameter.shape)"
        )
        return gradient
    }

    /// Splits saved state into each parameter's fields (`"<path>.<field>"`), in parameter order.
    ///
    /// - Throws: `.unexpectedTensor` for a key that names no parameter or no known field.
    func groupedState(
        _ state: [String: Tensor], fields: Set<String>, file: String
    ) throws -> [(index: Int, fields: [String: Tensor])] {
        var grouped: [Int: [String: Tensor]] = [:]
        for key in state.keys.sorted() {
            guard let dot = key.lastIndex(of: "."),
                case let field = String(key[key.index(after: dot)...]), fields.contains(field),
                let index = indexByPath[String(key[..<dot])], let tensor = state[key]
            else {
                throw CheckpointError(
                    kind: .unexpectedTensor, file: file,
                    detail: "unexpected tensor `\(key)` in \(owner) state")
            }
            grouped[index, default: [:]][field] = tensor.detached()
        }
        return grouped.keys.sorted().compactMap { index in
            grouped[index].map { (index: index, fields: $0) }
        }
    }

    /// The saved buffer `field` of parameter `index`, checked against the parameter's shape.
    func buffer(
        _ field: String, of index: Int, in fields: [String: Tensor], file: String
    ) throws -> Tensor {
        let (path, parameter) = entries[index]
        guard let tensor = fields[field] else {
            throw CheckpointError(
                kind: .missingTensor, file: file, detail: "no tensor for `\(path).\(field)`")
        }
        guard tensor.shape == parameter.shape else {
            throw CheckpointError(
                kind: .shapeMismatch, file: file,
                detail: "`\(path).\(field)` is \(tensor.shape), model expects \(parameter.shape)")
        }
        return tensor
    }

    /// The saved step count of parameter `index`: a scalar holding a positive integer.
    func stepCount(of index: Int, in fields: [String: Tensor], file: String) throws -> Int {
        let key = "\(entries[index].path).step"
        guard let tensor = fields["step"] else {
            throw CheckpointError(
                kind: .missingTensor, file: file, detail: "no tensor for `\(key)`")
        }
        guard tensor.count == 1, let step = Int(exactly: tensor.scalars[0]), step >= 1 else {
            throw CheckpointError(
                kind: .invalidValue, file: file,
                detail: "`\(key)` must be one positive whole number, got \(tensor)")
        }
        return step
    }
}

extension UnsafeBufferPointer<Float> {
    /// The first element of a tensor's buffer, which always has an address, even when empty.
    var tensorBase: UnsafePointer<Float> {
        guard let base = baseAddress else { preconditionFailure("tensor buffer without storage") }
        return base
    }
}

extension UnsafeMutableBufferPointer<Float> {
    /// The first element of a tensor's buffer, which always has an address, even when empty.
    var tensorBase: UnsafeMutablePointer<Float> {
        guard let base = baseAddress else { preconditionFailure("tensor buffer without storage") }
        return base
    }
}
