import SeqModels

/// Greedy search: at every step, the most probable token after the logit processors.
///
/// Hugging Face `generate(num_beams=1, do_sample=False)`, except that processors see
/// log-probabilities (the model's output) rather than raw logits; for processors that only ban
/// or force tokens the choice is the same. A source's row leaves the batch as soon as it emits
/// the end token or reaches its length limit. Ties go to the lowest token id.
public struct GreedySearch: SearchStrategy {
    /// How many tokens each source may generate.
    public var length: LengthLimit
    /// Applied in order at every step.
    public var processors: [any LogitProcessor]
    /// Whether to collect each hypothesis' cross attention; `nil` collects none.
    public var attention: AttentionOptions?

    /// Creates a greedy search.
    public init(
        length: LengthLimit = LengthLimit(), processors: [any LogitProcessor] = [],
        attention: AttentionOptions? = nil
    ) {
        self.length = length
        self.processors = processors
        self.attention = attention
    }

    /// Decodes every source greedily; each result has one hypothesis.
    ///
    /// - Complexity: O(limit × sources × vocabulary size) besides the model.
    public func search<Model: IncrementalDecoder>(
        _ model: Model, sources: [[Int32]]
    ) -> [SearchResult] {
        var engine = RowEngine(
            model: model, length: length, processors: processors, attention: attention)
        return engine.search(sources: sources)
    }
}
