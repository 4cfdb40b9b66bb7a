/// Asks a search to return each hypothesis' cross attention (`Hypothesis.attention`), as
/// Hugging Face's `output_attentions`, CTranslate2's `return_attention` and fairseq's
/// `--print-alignment` do.
///
/// Only models that conform to `AttentionReportingDecoder` and attend to their sources can
/// report attention; with any other model the hypotheses' `attention` stays `nil`. Without
/// this option nothing is computed or collected.
public struct AttentionOptions: Sendable, Equatable {
    /// The 0-based decoder layer whose heads are averaged, or `nil` for the last layer
    /// (fairseq's default `alignment_layer`, CTranslate2's `return_attention`).
    public var layer: Int?

    /// Collects the attention of `layer` (the last layer when `nil`).
    public init(layer: Int? = nil) {
        precondition(layer.map { $0 >= 0 } ?? true, "AttentionOptions: layer \(layer ?? 0) < 0")
        self.layer = layer
    }
}
