import SeqKernels
import SeqNN
import SeqTensor

// Legend: R decoding rows (one new position each), D model size, F feed-forward size,
// V vocabulary, S cached positions, H heads.
//
// One decoding step of the decoder stack over raw rows: every block computes what its
// `callAsFunction` computes for one new position (dropout aside: decoding never drops), but
// without building tensors. Weights are read in place, the working rows live in a scratch
// buffer kept from step to step, caches grow in place, and the cross-attention keys and values
// of each source are read where `start` put them, by every beam of that source.

/// Floats allocated outside the tensor storage pool, so that memory freed after decoding goes
/// back to the system instead of staying pooled.
final class ScratchStorage: @unchecked Sendable {
    // Sendable: written only by the state that owns it alone (see `DecodingScratch`).
    /// The first float.
    let pointer: UnsafeMutablePointer<Float>
    /// The number of floats.
    let count: Int

    /// Allocates `count` uninitialised floats.
    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
    }

    deinit { pointer.deallocate() }
}

/// Working memory of decoding steps, kept in a model's decoding state and reused by every
/// step.
struct DecodingScratch: Sendable {
    private var storage: ScratchStorage?

    /// A buffer of at least `count` floats, valid until the next call; grown when too small
    /// and replaced when another state shares it (a copied state).
    mutating func buffer(count: Int) -> UnsafeMutablePointer<Float> {
        if isKnownUniquelyReferenced(&storage), let current = storage, current.count >= count {
            return current.pointer
        }
        let fresh = ScratchStorage(count: count)
        storage = fresh
        return fresh.pointer
    }
}

/// What the blocks of a decoding step read besides their own weights and caches.
struct DecodingStepInputs {
    /// Per row, the first self-attention position it may see (left padding), or `nil`.
    var firstKeys: UnsafePointer<Int32>?
    /// Per decoder block, the keys and values of every source (`[N, Hkv, S, E]`), or `nil`
    /// without cross attention.
    var memory: [KeyValueCache]?
    /// Per row, its source in `memory`.
    var rowSources: UnsafePointer<Int32>?
    /// Per row, its source's length.
    var sourceLengths: UnsafePointer<Int32>?
    /// Receives the cross-attention weights of block `attentionLayer`, `[R, H, S]` with `S`
    /// the memory's length, or `nil` to compute none.
    var crossAttentionWeights: UnsafeMutablePointer<Float>?
    /// The block whose cross-attention weights `crossAttentionWeights` receives.
    var attentionLayer = 0
}

extension TransformerDecoder {
    /// Floats of scratch `decodingStep` needs for `rows` rows.
    func decodingScratchCount(rows: Int) -> Int {
        guard let layer = layers.first else { return 0 }
        let attention = max(
            layer.selfAttention.decodingScratchCount(rows: rows),
            layer.crossAttention?.decodingScratchCount(rows: rows) ?? 0)
        let hidden = layer.feedForward.decodingScratchCount(rows: rows)
        return rows * (layer.selfAttention.modelSize + 2) + max(attention, hidden)
    }

    /// Runs one new position per row, `x` (`[R, D]`, overwritten with the output after the
    /// final norm), through every block, appending to each block's cache.
    ///
    /// - Parameters:
    ///   - x: `[R, D]`, row-major; the output replaces it.
    ///   - rows: The number of rows, `R`.
    ///   - caches: One self-attention cache per block, created when `nil`.
    ///   - inputs: Left padding and the cross-attention side.
    ///   - scratch: `decodingScratchCount(rows:)` floats.
    func decodingStep(
        _ x: UnsafeMutablePointer<Float>, rows: Int, caches: inout [KeyValueCache?],
        inputs: DecodingStepInputs, scratch: UnsafeMutablePointer<Float>
    ) {
        precondition(
            caches.count == layers.count
                && (inputs.memory?.count ?? layers.count) == layers.count,
            "TransformerDecoder: \(caches.count) caches for \(layers.count) layers")
        let cached = caches.first.flatMap { $0?.length } ?? 0
        // [1, H, 1, S]: one query at position `cached` over keys 0 ... cached.
        let bias = positionBias?(queryCount: 1, keyCount: cached + 1, queryOffset: cached)
        withExtendedLifetime(bias) {
            let scoreBias = bias.map {
                AttentionScoreBias(
                    scores: $0.storage.pointer, headStride: cached + 1, rowStride: 0, rowPeriod: 1)
            }
            for (index, layer) in layers.enumerated() {
                layer.decodingStep(
                    x, rows: rows, cache: &caches[index], selfBias: scoreBias,
                    memory: inputs.memory?[index], inputs: inputs,
                    crossAttentionWeights: index == inputs.attentionLayer
                        ? inputs.crossAttentionWeights : nil,
                    scratch: scratch)
            }
        }
        if let finalNorm {
            normalizeRows(finalNorm, x, into: x, rows: rows, statistics: scratch)
        }
    }
}

extension DecoderLayer {
    /// One new position per row through the block: `x` (`[R, D]`) is updated in place.
    fileprivate func decodingStep(
        _ x: UnsafeMutablePointer<Float>, rows: Int, cache: inout KeyValueCache?,
        selfBias: AttentionScoreBias?, memory: KeyValueCache?, inputs: DecodingStepInputs,
        crossAttentionWeights: UnsafeMutablePointer<Float>?, scratch: UnsafeMutablePointer<Float>
    ) {
        let modelSize = selfAttention.modelSize
        let statistics = scratch
        let normalized = statistics + 2 * rows
        let working = normalized + rows * modelSize
        func branch(_ norm: any UnaryLayer, _ body: (UnsafePointer<Float>) -> Void) {
            normalizationPosition.residualRows(
                x, rows: rows, norm: norm, normalized: normalized, statistics: statistics, body)
        }
        branch(selfAttentionNorm) { input in
            selfAttention.decodingSelfAttention(
                input, rows: rows, cache: &cache, firstKeys: inputs.firstKeys, scoreBias: selfBias,
                scratch: working, output: x, accumulating: true)
        }
        switch (crossAttention, crossAttentionNorm, memory, inputs.rowSources, inputs.sourceLengths)
        {
        case (let attention?, let norm?, let memory?, let rowSources?, let sourceLengths?):
            branch(norm) { input in
                attention.decodingCrossAttention(
                    input, rows: rows, memory: memory, rowSources: rowSources,
                    sourceLengths: sourceLengths, scratch: working, output: x, accumulating: true,
                    weights: crossAttentionWeights)
            }
        case (nil, nil, nil, _, _): break
        default:
            preconditionFailure(
                "DecoderLayer: memory must be given exactly when the block has cross attention")
        }
        branch(feedForwardNorm) { input in
            feedForward.decodingStep(input, rows: rows, hidden: working, output: x)
        }
    }
}

extension TransformerConfig.NormalizationPosition {
    /// One residual branch over `[R, D]` rows `x`, in place.
    ///
    /// `x += f(norm(x))` (pre, with `norm(x)` in `normalized`) or `x = norm(x + f(x))`
    /// (post); `body` receives the branch input and adds its output to `x`. `statistics`
    /// holds `2 · R` floats.
    func residualRows(
        _ x: UnsafeMutablePointer<Float>, rows: Int, norm: any UnaryLayer,
        normalized: UnsafeMutablePointer<Float>, statistics: UnsafeMutablePointer<Float>,
        _ body: (UnsafePointer<Float>) -> Void
    ) {
        switch self {
        case .pre:
            normalizeRows(norm, x, into: normalized, rows: rows, statistics: statistics)
            body(normalized)
        case .post:
            body(x)
            normalizeRows(norm, x, into: x, rows: rows, statistics: statistics)
        }
    }
}

extension FeedForward {
    /// Floats of `hidden` that `decodingStep` needs for `rows` rows.
    func decodingScratchCount(rows: Int) -> Int {
        rows * up.outputSize * (gate == nil ? 1 : 2)
    }

    /// `output += block(input)` for `[R, D]` rows.
    ///
    /// `hidden` holds `decodingScratchCount(rows:)` floats. Many rows (an encoder's) go
    /// through BLAS.
    func decodingStep(
        _ input: UnsafePointer<Float>, rows: Int, hidden: UnsafeMutablePointer<Float>,
        output: UnsafeMutablePointer<Float>
    ) {
        let count = rows * up.outputSize
        let modelSize = up.inputSize
        switch activation {
        case .relu, .gelu, .geluTanh, .silu:
            linearRowsOrGEMM(
                input, rows: rows, inputSize: modelSize, targets: [up.rowsTarget(output: hidden)])
            unaryMap(activation.unaryOperator, hidden, hidden, count: count)
        case .swiGLU, .gatedGeluTanh:
            guard let gate else { preconditionFailure("FeedForward: \(activation) without a gate") }
            let upper = hidden + count
            linearRowsOrGEMM(
                input, rows: rows, inputSize: modelSize,
                targets: [gate.rowsTarget(output: hidden), up.rowsTarget(output: upper)])
            unaryMap(activation == .swiGLU ? .silu : .geluTanh, hidden, hidden, count: count)
            for i in 0..<count { hidden[i] *= upper[i] }
        }
        linearRowsOrGEMM(
            hidden, rows: rows, inputSize: up.outputSize,
            targets: [down.rowsTarget(output: output, accumulates: true)])
    }
}

extension FeedForward.Activation {
    /// The elementwise function of an ungated activation.
    fileprivate var unaryOperator: UnaryOperator {
        switch self {
        case .relu: .relu
        case .gelu: .gelu
        case .geluTanh: .geluTanh
        case .silu, .swiGLU: .silu
        case .gatedGeluTanh: .geluTanh
        }
    }
}

/// `norm` (a `LayerNorm` or `RMSNorm`) of each `[R, D]` row of `x` into `out` (which may be
/// `x`); `statistics` holds `2 · R` floats.
func normalizeRows(
    _ norm: any UnaryLayer, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
    rows: Int, statistics: UnsafeMutablePointer<Float>
) {
    switch norm {
    case let norm as LayerNorm:
        let (weight, bias) = (norm.weight.untrackedValue, norm.bias?.untrackedValue)
        withExtendedLifetime((weight, bias)) {
            layerNormRows(
                x, weight: weight.storage.pointer, bias: bias?.storage.pointer, out,
                mean: statistics, inverseStd: statistics + rows, rows: rows, width: norm.size,
                epsilon: norm.epsilon)
        }
    case let norm as RMSNorm:
        let weight = norm.weight.untrackedValue
        withExtendedLifetime(weight) {
            rmsNormRows(
                x, weight: weight.storage.pointer, out, inverseRMS: statistics, rows: rows,
                width: norm.size, epsilon: norm.epsilon)
        }
    default:
        preconditionFailure("decoding: unsupported norm \(type(of: norm))")
    }
}

/// The log-probabilities `[R, V]` of decoder outputs `x` (`[R, D]`, multiplied in place by
/// `scale`): `logSoftmax((scale · x) · weightᵀ + bias)`, as `vocabularyLogits` then
/// `logSoftmax` compute them.
func decodingLogProbabilities(
    _ x: UnsafeMutablePointer<Float>, rows: Int, weight: Parameter, bias: Parameter?,
    scale: Float
) -> Tensor {
    let (weights, biases) = (weight.untrackedValue, bias?.untrackedValue)
    let (vocabularySize, modelSize) = (weights.shape[0], weights.shape[1])
    if scale != 1 {
        for i in 0..<(rows * modelSize) { x[i] *= scale }
    }
    let logits = Tensor(uninitializedShape: [rows, vocabularySize])
    withExtendedLifetime((weights, biases)) {
        linearRows(
            x, rows: rows, inputSize: modelSize,
            targets: [
                LinearRowsTarget(
                    weight: weights.storage.pointer, bias: biases?.storage.pointer,
                    output: logits.storage.pointer, outputSize: vocabularySize)
            ])
    }
    logSoftmaxRows(
        logits.storage.pointer, logits.storage.pointer, rows: rows, width: vocabularySize)
    return logits
}
