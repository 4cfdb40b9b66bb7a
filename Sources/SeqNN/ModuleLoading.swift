import SeqTensor

extension Module {
    /// Every parameter's current value keyed by its path, ready to save.
    ///
    /// The tensors are untracked and share storage with the parameters until either side is
    /// changed (copy-on-write), so taking a snapshot is cheap and later training steps do not
    /// alter it.
    public func stateDictionary() -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (path, parameter) in namedParameters() { state[path] = parameter.untrackedValue }
        return state
    }

    /// Replaces every parameter with the tensor stored under its path; all or nothing.
    ///
    /// Everything is checked before anything is assigned, so on error the module is unchanged.
    /// Frozen parameters are loaded too.
    ///
    /// - Parameters:
    ///   - stored: Tensors by parameter path, as `stateDictionary()` or `SafeTensors.read`
    ///     returns them.
    ///   - file: Where `stored` came from, for messages.
    /// - Throws: `CheckpointError`: ``"<file>: no tensor for `path`"`` (`.missingTensor`),
    ///   ``"<file>: unexpected tensor `path`"`` (`.unexpectedTensor`), or
    ///   ``"<file>: `path` is [3, 5], model expects [3, 4]"`` (`.shapeMismatch`).
    public func load(_ stored: [String: Tensor], from file: String) throws {
        let parameters = namedParameters()
        for (path, parameter) in parameters {
            guard let tensor = stored[path] else {
                throw CheckpointError(
                    kind: .missingTensor, file: file, detail: "no tensor for `\(path)`")
            }
            guard tensor.shape == parameter.shape else {
                throw CheckpointError(
                    kind: .shapeMismatch, file: file,
                    detail: "`\(path)` is \(tensor.shape), model expects \(parameter.shape)")
            }
        }
        let known = Set(parameters.map(\.path))
        if let unexpected = stored.keys.filter({ !known.contains($0) }).sorted().first {
            throw CheckpointError(
                kind: .unexpectedTensor, file: file, detail: "unexpected tensor `\(unexpected)`")
        }
        for (path, parameter) in parameters {
            if let tensor = stored[path] { parameter.value = tensor }
        }
    }
}
