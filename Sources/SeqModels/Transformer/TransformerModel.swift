import SeqNN
import SeqTensor

// Legend: B batch, T positions, D model size, V vocabulary size.

/// The Transformer families a `TransformerConfig` describes; the names are those stored in a
/// model directory's weights metadata.
public enum TransformerArchitecture: String, Codable, Sendable, CaseIterable {
    /// `TransformerSeq2Seq`: an encoder and a decoder with cross attention.
    case seq2seq = "transformer-seq2seq"
    /// `TransformerLM`: a decoder only, reading "source, separator, target" as one sequence.
    case languageModel = "transformer-lm"
}

/// A Transformer built from a `TransformerConfig`; what `ModelDirectory` saves and loads.
public protocol TransformerModel: Module {
    /// The family, stored in the weights metadata.
    static var architecture: TransformerArchitecture { get }
    /// The config the model was built from.
    var config: TransformerConfig { get }
    /// Builds the model described by `config` (which must be valid), with initial weights
    /// drawn from `generator`.
    init(config: TransformerConfig, using generator: inout SeededGenerator)
}

/// The encoder's result for a batch of sources.
///
/// Shapes: `memory` `[B, S, D]`; row `b` has `lengths[b]` real positions, the rest padding.
public struct EncoderOutput: Sendable {
    /// The encoded sources, `[B, S, D]`.
    public let memory: Tensor
    /// The number of real source positions in each row.
    public let lengths: [Int]

    /// Creates an output from its parts.
    public init(memory: Tensor, lengths: [Int]) {
        precondition(
            memory.rank == 3 && memory.shape[0] == lengths.count,
            "EncoderOutput: memory \(memory.shape) must be [B, S, D] with B = \(lengths.count)")
        self.memory = memory
        self.lengths = lengths
    }
}

/// An additive mask blocking keys at and after `lengths[b]` in row `b`, `[B, 1, 1, S]`, or
/// `nil` when every row has all `keyCount` keys; built once and shared by every layer.
func keyPaddingMask(lengths: [Int], keyCount: Int) -> AttentionMask? {
    guard lengths.contains(where: { $0 < keyCount }),
        let bias = AttentionMask.keyLengths(lengths).scoreBias(
            batchSize: lengths.count, queryCount: 1, keyCount: keyCount)
    else { return nil }
    return .additive(bias)
}

/// The causal mask for `length` positions as an additive `[1, 1, T, T]` bias, built once and
/// shared by every layer.
func causalMask(length: Int) -> AttentionMask? {
    AttentionMask.causal.scoreBias(batchSize: 1, queryCount: length, keyCount: length)
        .map(AttentionMask.additive)
}

/// Logits `[..., V]` of decoder outputs `[..., D]`: `(scale · hidden) · weightᵀ + bias`.
func vocabularyLogits(_ hidden: Tensor, weight: Tensor, bias: Parameter?, scale: Float) -> Tensor {
    let scaled = scale == 1 ? hidden : hidden * scale
    let logits = scaled.matmul(weight, transposingOther: true)
    return bias.map { logits + $0.value } ?? logits
}

/// The cross-entropy of the rows of `hidden` whose target is not `padID`, projecting only
/// those rows onto the vocabulary.
///
/// - Parameters:
///   - hidden: Decoder outputs, `[B, T, D]`.
///   - targets: `B·T` ids, row-major; `padID` marks positions without a loss.
///   - outputWeight: The output projection, `[V, D]`.
///   - outputBias: A bias `[V]` added to the logits, or `nil`.
///   - padID: The id of positions to skip.
///   - labelSmoothing: `ε` of `Tensor.crossEntropy`.
///   - reduction: `.mean` over real targets, `.sum`, or `.none` (one loss per real target,
///     in row-major order).
/// - Returns: A scalar, or the per-target losses for `.none`.
func targetLoss(
    hidden: Tensor, targets: [Int32], outputWeight: Tensor, outputBias: Tensor? = nil,
    padID: Int32, labelSmoothing: Float, reduction: Reduction
) -> Tensor {
    func logits(_ rows: Tensor) -> Tensor {
        let product = rows.matmul(outputWeight, transposingOther: true)
        return outputBias.map { product + $0 } ?? product
    }
    let modelSize = hidden.shape[hidden.rank - 1]
    let rows = hidden.reshaped([-1, modelSize])  // [B·T, D]
    precondition(
        targets.count == rows.shape[0],
        "loss: \(targets.count) targets for \(rows.shape[0]) positions")
    let kept = targets.indices.filter { targets[$0] != padID }
    precondition(!kept.isEmpty, "loss: every target is padding (`padID` \(padID))")
    guard kept.count < targets.count else {
        return logits(rows).crossEntropy(
            targets: targets, labelSmoothing: labelSmoothing, reduction: reduction)
    }
    // Padding rows need no [D → V] projection, the largest product of the model.
    let selected = rows.indexSelect(axis: 0, indices: kept.map { Int32($0) })
    return logits(selected).crossEntropy(
        targets: kept.map { targets[$0] }, labelSmoothing: labelSmoothing, reduction: reduction)
}
