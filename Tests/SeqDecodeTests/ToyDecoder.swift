import Foundation
import SeqModels
import SeqTensor

/// Records how many rows the search asked the toy to compute at each step.
final class StepLog: @unchecked Sendable {
    var rows: [Int] = []
}

/// A table-driven `IncrementalDecoder` for testing search without neural networks.
///
/// The next-token log-probabilities are
/// `logSoftmax(logits(source, prefix))`, where `prefix` is every token fed so far (start token
/// first). No neural network: search is tested on exactly known distributions.
///
/// Token ids: 0 is the start and padding token, 1 the end token (as in Marian and T5, whose
/// decoder start is the padding token).
struct ToyDecoder: IncrementalDecoder {
    struct State {
        var sources: [[Int32]]
        var prefixes: [[Int32]]
    }

    let vocabularySize: Int
    let startID: Int32 = 0
    let endID: Int32 = 1
    let padID: Int32 = 0
    let logits: @Sendable (_ source: [Int32], _ prefix: [Int32]) -> [Float]
    var stepLog: StepLog?

    func start(sources: [[Int32]]) -> State {
        State(sources: sources, prefixes: Array(repeating: [], count: sources.count))
    }

    func step(_ state: inout State, lastTokens: [Int32]) -> Tensor {
        precondition(lastTokens.count == state.sources.count, "ToyDecoder: row count mismatch")
        stepLog?.rows.append(lastTokens.count)
        var values: [Float] = []
        values.reserveCapacity(lastTokens.count * vocabularySize)
        for row in lastTokens.indices {
            state.prefixes[row].append(lastTokens[row])
            values += logSoftmax(logits(state.sources[row], state.prefixes[row]))
        }
        return Tensor(shape: [lastTokens.count, vocabularySize], scalars: values)
    }

    func reorder(_ state: inout State, rows: [Int]) {
        state.sources = rows.map { state.sources[$0] }
        state.prefixes = rows.map { state.prefixes[$0] }
    }

    /// The toy of `tools/fixtures/make_toy_search.py`: logits from a SplitMix64 hash of the
    /// source and prefix, uniform in [-4, 4), plus an end-token bias that grows with the prefix
    /// and shrinks with the source (`0.75 · prefix.count − 0.5 · source.count`).
    static func hashed(vocabularySize: Int = 16, seed: UInt64 = 2024) -> ToyDecoder {
        ToyDecoder(
            vocabularySize: vocabularySize,
            logits: { source, prefix in
                hashedLogits(
                    source: source, prefix: prefix, vocabularySize: vocabularySize, seed: seed)
            })
    }

    /// A decoder with explicit next-token probabilities.
    ///
    /// The probabilities after each generated prefix (start token excluded) are given; unlisted tokens get logit -30 (about e⁻³⁰), and an
    /// unlisted prefix ends with probability ≈ 1. The same table serves every source.
    static func table(_ rows: [[Int32]: [Int32: Double]], vocabularySize: Int = 8) -> ToyDecoder {
        ToyDecoder(
            vocabularySize: vocabularySize,
            logits: { _, prefix in
                var logits = [Float](repeating: -30, count: vocabularySize)
                guard let row = rows[Array(prefix.dropFirst())] else {
                    logits[1] = 0
                    return logits
                }
                for (token, probability) in row {
                    logits[Int(token)] = Float(Foundation.log(probability))
                }
                return logits
            })
    }
}

private func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// `toy_logits` of `make_toy_search.py`, operation for operation (every Float step is exact or
/// rounds identically in NumPy's float32).
func hashedLogits(source: [Int32], prefix: [Int32], vocabularySize: Int, seed: UInt64) -> [Float] {
    let golden: UInt64 = 0x9E37_79B9_7F4A_7C15
    var hash = seed
    for token in source { hash = mix(hash &+ UInt64(token) &+ golden) }
    hash = mix(hash ^ 0x5EED)
    for token in prefix { hash = mix(hash &+ UInt64(token) &+ golden) }
    var logits = (0..<vocabularySize).map { token in
        let bits = Int64(mix(hash &+ UInt64(token) &* golden) >> 40)
        return Float(bits - (1 << 23)) * 0x1p-21
    }
    logits[1] += Float(0.75) * Float(prefix.count) - Float(0.5) * Float(source.count)
    return logits
}

private func logSoftmax(_ logits: [Float]) -> [Float] {
    let maximum = logits.max() ?? 0
    let total = logits.reduce(Float(0)) { $0 + exp($1 - maximum) }
    let shift = maximum + log(total)
    return logits.map { $0 - shift }
}

extension ToyDecoder: AttentionReportingDecoder {
    /// Two layers of fake cross attention.
    var crossAttentionLayerCount: Int { 2 }

    /// `step`, with each row's `toyAttention` of its source and prefix (the last token
    /// included) in `layer`.
    func stepWithAttention(_ state: inout State, lastTokens: [Int32], layer: Int?) -> (
        logProbabilities: Tensor, attention: [[Float]]?
    ) {
        let logProbabilities = step(&state, lastTokens: lastTokens)
        let attention = lastTokens.indices.map {
            toyAttention(source: state.sources[$0], prefix: state.prefixes[$0], layer: layer ?? 1)
        }
        return (logProbabilities, attention)
    }
}

/// A fake attention row over `source`'s positions that depends only on the source, the prefix
/// fed so far (start token first) and the layer: softmax of hashed scores in [-2, 2), so a
/// row reordered to the wrong beam shows.
func toyAttention(source: [Int32], prefix: [Int32], layer: Int) -> [Float] {
    var hash = mix(UInt64(layer) &+ 0xA77E)
    for token in source + [-1] + prefix { hash = mix(hash &+ UInt64(bitPattern: Int64(token))) }
    let scores = source.indices.map { position in
        Float(mix(hash &+ UInt64(position)) >> 40) * 0x1p-22 - 2
    }
    let maximum = scores.max() ?? 0
    let weights = scores.map { exp($0 - maximum) }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
}

/// The toy without attention: a decoder that does not conform to `AttentionReportingDecoder`.
struct PlainToyDecoder: IncrementalDecoder {
    let toy: ToyDecoder

    var vocabularySize: Int { toy.vocabularySize }
    var startID: Int32 { toy.startID }
    var endID: Int32 { toy.endID }
    var padID: Int32 { toy.padID }

    func start(sources: [[Int32]]) -> ToyDecoder.State { toy.start(sources: sources) }

    func step(_ state: inout ToyDecoder.State, lastTokens: [Int32]) -> Tensor {
        toy.step(&state, lastTokens: lastTokens)
    }

    func reorder(_ state: inout ToyDecoder.State, rows: [Int]) { toy.reorder(&state, rows: rows) }
}
