import SeqTensor

/// A building block of a model: parameters and child modules are its stored properties.
///
/// Parameters are discovered by reflection and named by their property path, such as
/// `encoder.layers.0.attention.query.weight`; arrays of modules add `.0`, `.1`, …; `nil`
/// optionals and plain values are skipped. Layers are `final class`es without inheritance.
public protocol Module: AnyObject {}

/// A module that also has a training flag (dropout and the like read it).
public protocol TrainingModeSwitchable: AnyObject {
    /// Whether the module behaves as in training (dropout on) or evaluation.
    var isTraining: Bool { get set }
}

extension Module {
    /// Every parameter reachable from this module, keyed by dotted path, in declaration order.
    public func namedParameters() -> [(path: String, parameter: Parameter)] {
        var found: [(path: String, parameter: Parameter)] = []
        collectParameters(of: self, prefix: "", into: &found)
        return found
    }

    /// Every parameter reachable from this module, in declaration order.
    public func parameters() -> [Parameter] { namedParameters().map(\.parameter) }

    /// Parameters that training updates (not frozen).
    public func trainableParameters() -> [Parameter] { parameters().filter(\.isTrainable) }

    /// Every module below this one, this one included, depth first.
    public func modules() -> [any Module] {
        var found: [any Module] = []
        collectModules(of: self, into: &found)
        return found
    }

    /// Freezes (`false`) or unfreezes every parameter of this module and its children.
    public func setTrainable(_ trainable: Bool) {
        for parameter in parameters() { parameter.isTrainable = trainable }
    }

    /// Switches this module and every child between training and evaluation behaviour.
    public func setTraining(_ training: Bool) {
        for case let switchable as TrainingModeSwitchable in modules() {
            switchable.isTraining = training
        }
    }

    /// Clears the accumulated gradients of every parameter.
    public func zeroGradients() {
        for parameter in parameters() { parameter.zeroGradient() }
    }

    /// The total number of scalars in all parameters.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.shape.reduce(1, *) } }
}

private func collectParameters(
    of value: Any, prefix: String, into found: inout [(path: String, parameter: Parameter)]
) {
    for child in Mirror(reflecting: value).children {
        guard let label = child.label else { continue }
        let path = prefix.isEmpty ? label : "\(prefix).\(label)"
        switch unwrapped(child.value) {
        case let parameter as Parameter: found.append((path, parameter))
        case let module as any Module: collectParameters(of: module, prefix: path, into: &found)
        case let modules as [any Module]:
            for (index, module) in modules.enumerated() {
                collectParameters(of: module, prefix: "\(path).\(index)", into: &found)
            }
        default: continue
        }
    }
}

private func collectModules(of module: any Module, into found: inout [any Module]) {
    found.append(module)
    for child in Mirror(reflecting: module).children {
        switch unwrapped(child.value) {
        case let child as any Module: collectModules(of: child, into: &found)
        case let children as [any Module]:
            for child in children { collectModules(of: child, into: &found) }
        default: continue
        }
    }
}

/// The wrapped value of a non-`nil` optional, or `value` itself; `nil` optionals become `()`.
private func unwrapped(_ value: Any) -> Any {
    let mirror = Mirror(reflecting: value)
    guard mirror.displayStyle == .optional else { return value }
    return mirror.children.first?.value ?? ()
}
