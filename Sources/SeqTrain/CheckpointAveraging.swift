import Foundation
import SeqNN
import SeqTensor

/// Writes into `output` a model directory whose weights are the element-wise mean of the
/// weights in `directories` (checkpoint averaging, as fairseq's `average_checkpoints.py`);
/// config and extra files come from the last directory, optimizer state is dropped.
///
/// - Throws: `CheckpointError` naming a directory that cannot be read, or `TrainingError`
///   when two checkpoints do not hold the same tensors.
public func averageCheckpoints(_ directories: [URL], into output: URL) throws {
    precondition(!directories.isEmpty, "averageCheckpoints: no checkpoints to average")
    var sums: [String: Tensor] = [:]
    var last: Checkpoint?
    for directory in directories {
        let checkpoint = try Checkpoint.read(from: directory)
        if let reference = last {
            guard Set(checkpoint.weights.keys) == Set(reference.weights.keys) else {
                throw TrainingError(
                    file: directory.path,
                    detail: "holds different tensors from the other checkpoints")
            }
        }
        for (name, tensor) in checkpoint.weights {
            if let sum = sums[name] {
                guard sum.shape == tensor.shape else {
                    throw TrainingError(
                        file: directory.path,
                        detail: "`\(name)` is \(tensor.shape), other checkpoints have \(sum.shape)")
                }
                sums[name] = sum + tensor
            } else {
                sums[name] = tensor
            }
        }
        last = checkpoint
    }
    guard let last else { return }
    let scale = 1 / Float(directories.count)
    try Checkpoint(
        weights: sums.mapValues { $0 * scale }, step: last.step, generator: last.generator,
        config: last.config,
        extraFiles: last.extraFiles.filter { $0.key != TrainingState.fileName }
    ).write(to: output)
}
