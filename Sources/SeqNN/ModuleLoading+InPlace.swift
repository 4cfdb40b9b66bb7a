import Foundation
import SeqTensor

extension Module {
    /// Overwrites every parameter with the tensor stored under its path in the safetensors
    /// file at `url`, reading each one straight into the parameter's storage.
    ///
    /// `load(_:from:)` needs every stored tensor in memory beside the parameters; this needs
    /// none, so loading a model for inference costs no more memory than the model. Names and
    /// shapes are all checked before anything is read, with `load(_:from:)`'s errors; a read
    /// failing afterwards (a truncated file) leaves the parameters read so far changed.
    /// Frozen parameters are loaded too.
    ///
    /// - Throws: `CheckpointError` (`.missingTensor`, `.unexpectedTensor`, `.shapeMismatch`,
    ///   or `.unreadable` for a file that cannot be read).
    public func loadInPlace(contentsOf url: URL) throws {
        let path = url.path
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(contentsOf: url)
        } catch {
            throw CheckpointError(kind: .unreadable, file: path, detail: "\(error)")
        }
        let parameters = namedParameters()
        for (name, parameter) in parameters {
            guard let shape = file.shapes[name] else {
                throw CheckpointError(
                    kind: .missingTensor, file: path, detail: "no tensor for `\(name)`")
            }
            guard shape == parameter.shape else {
                throw CheckpointError(
                    kind: .shapeMismatch, file: path,
                    detail: "`\(name)` is \(shape), model expects \(parameter.shape)")
            }
        }
        let known = Set(parameters.map(\.path))
        if let unexpected = file.shapes.keys.filter({ !known.contains($0) }).sorted().first {
            throw CheckpointError(
                kind: .unexpectedTensor, file: path, detail: "unexpected tensor `\(unexpected)`")
        }
        do {
            for (name, parameter) in parameters {
                try parameter.updateInPlace { try file.read(name, into: $0) }
            }
        } catch {
            throw CheckpointError(kind: .unreadable, file: path, detail: "\(error)")
        }
    }
}
