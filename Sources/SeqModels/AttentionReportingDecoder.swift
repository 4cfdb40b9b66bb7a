import SeqTensor

/// An `IncrementalDecoder` that can also report where each row looked in its source: the
/// cross-attention weights of a step, for alignments (fairseq's `--print-alignment`,
/// CTranslate2's `return_attention`, Hugging Face's `output_attentions`).
///
/// Models without cross attention do not conform; a model whose configuration may lack it
/// (an `RNNSeq2Seq` without attention) conforms with `crossAttentionLayerCount == 0` and
/// reports `nil`.
public protocol AttentionReportingDecoder: IncrementalDecoder {
    /// The number of layers whose cross attention `stepWithAttention` can report (decoder
    /// blocks that attend to the source); 0 when the model attends to no source.
    var crossAttentionLayerCount: Int { get }

    /// Feeds one token per row as `step(_:lastTokens:)` does, and also reports each row's
    /// cross attention in one layer, averaged over that layer's heads.
    ///
    /// - Parameters:
    ///   - state: The decoding state; advanced exactly as `step` advances it.
    ///   - lastTokens: One token per row.
    ///   - layer: The 0-based layer in `0..<crossAttentionLayerCount`, or `nil` for the last
    ///     (fairseq's default `alignment_layer`).
    /// - Returns: The log-probabilities, `[rows, vocabularySize]`, equal to what `step`
    ///   returns; and per row its weights over the positions of its source (one per source
    ///   token, padding excluded), which sum to 1, or `nil` when `crossAttentionLayerCount`
    ///   is 0.
    func stepWithAttention(_ state: inout State, lastTokens: [Int32], layer: Int?) -> (
        logProbabilities: Tensor, attention: [[Float]]?
    )
}

/// A decoding step that also returns each row's attention over its source, if known.
package typealias AttentionReportingStep<State> = (inout State, [Int32]) -> (
    logProbabilities: Tensor, attention: [[Float]]?
)

extension IncrementalDecoder {
    /// The model's `stepWithAttention` at `layer`, when the model conforms to
    /// `AttentionReportingDecoder` and attends to its sources; `nil` otherwise.
    ///
    /// Lets code generic over `IncrementalDecoder` (the searches) ask for attention without
    /// requiring it.
    package func attentionReportingStep(layer: Int?) -> AttentionReportingStep<State>? {
        guard let reporting = self as? any AttentionReportingDecoder else { return nil }
        return reporting.reportingStep(stateType: State.self, layer: layer)
    }
}

extension AttentionReportingDecoder {
    /// `stepWithAttention` at `layer` over states of type `Other`, which is `State` when this
    /// model is the one `attentionReportingStep` opened.
    fileprivate func reportingStep<Other>(stateType: Other.Type, layer: Int?)
        -> AttentionReportingStep<Other>?
    {
        guard crossAttentionLayerCount > 0 else { return nil }
        let step: AttentionReportingStep<State> = { state, lastTokens in
            stepWithAttention(&state, lastTokens: lastTokens, layer: layer)
        }
        return step as? AttentionReportingStep<Other>
    }

    /// `layer`, or the last layer when `nil`, checked against `crossAttentionLayerCount`.
    package func resolvedAttentionLayer(_ layer: Int?, model: String) -> Int {
        let resolved = layer ?? crossAttentionLayerCount - 1
        precondition(
            (0..<crossAttentionLayerCount).contains(resolved),
            "\(model).stepWithAttention: layer \(resolved) out of range for "
                + "\(crossAttentionLayerCount) cross-attention layers")
        return resolved
    }
}
