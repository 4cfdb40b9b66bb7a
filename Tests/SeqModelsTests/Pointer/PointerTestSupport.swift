import SeqModels
import SeqNN
import SeqTensor

/// A pointer-network config small enough for finite differences and quick training.
func tinyPointerConfig(
    encoder: PointerNetworkConfig.Encoder = .lstm, elementSize: Int = 2, processSteps: Int = 0,
    glimpseCount: Int = 0, constraint: PointerConstraint = .unconstrained
) -> PointerNetworkConfig {
    var config = PointerNetworkConfig()
    config.elementSize = elementSize
    config.hiddenSize = 8
    config.attentionSize = 6
    config.encoder = encoder
    config.processSteps = processSteps
    config.glimpseCount = glimpseCount
    config.constraint = constraint
    if encoder == .lstm { config.embeddingSize = 5 }
    return config
}

/// Random inputs of the given lengths: `length · elementSize` values in `[0, 1)` each.
func randomInputs(
    lengths: [Int], elementSize: Int, using generator: inout SeededGenerator
) -> [[Float]] {
    lengths.map { length in (0..<(length * elementSize)).map { _ in generator.nextUnitFloat() } }
}

/// For each input of numbers, the positions that sort it ascending.
func sortingTargets(_ inputs: [[Float]]) -> [[Int]] {
    inputs.map { values in values.indices.sorted { values[$0] < values[$1] } }
}

/// Row `row`, step `step` of `[B, T, S]` scores, as `S` floats.
func scoreRow(_ scores: Tensor, row: Int, step: Int) -> [Float] {
    let (steps, width) = (scores.shape[1], scores.shape[2])
    let start = (row * steps + step) * width
    return Array(scores.scalars[start..<(start + width)])
}
