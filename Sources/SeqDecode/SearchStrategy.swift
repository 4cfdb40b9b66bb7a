import SeqModels

/// A search algorithm: turns sources into ranked outputs of any `IncrementalDecoder`.
///
/// Every strategy decodes all sources of a call together (rows = sources × beams) and is
/// batch-invariant: a source's result does not depend on the other sources of the call or on
/// their order, provided the model's rows do not influence one another.
public protocol SearchStrategy: Sendable {
    /// Decodes each of `sources` with `model`.
    ///
    /// - Parameters:
    ///   - model: Any incremental decoder; search never looks inside it.
    ///   - sources: One token-id sequence per source, unpadded.
    /// - Returns: One result per source, in the order of `sources`.
    func search<Model: IncrementalDecoder>(_ model: Model, sources: [[Int32]]) -> [SearchResult]

    /// Whether, and from which layer, to collect each hypothesis' cross attention
    /// (`Hypothesis.attention`); `nil` (the default) collects nothing and costs nothing.
    var attention: AttentionOptions? { get set }
}

/// How many tokens a search may generate for each source.
///
/// A source of length `n` may generate at most
/// `min(maxNewTokens, max(1, ⌊sourceLengthFactor · n⌋ + sourceLengthOffset))` tokens when
/// `sourceLengthFactor` is set, else `maxNewTokens`; the end token counts.
public struct LengthLimit: Sendable, Equatable {
    /// The most tokens any source may generate (Hugging Face `max_new_tokens`).
    public var maxNewTokens: Int
    /// The end token is banned until this many tokens have been generated (Hugging Face
    /// `min_new_tokens`).
    public var minNewTokens: Int
    /// `a` in the per-source limit `a · sourceLength + b`; `nil` for no per-source limit.
    public var sourceLengthFactor: Float?
    /// `b` in the per-source limit `a · sourceLength + b`.
    public var sourceLengthOffset: Int

    /// Creates a limit; `maxNewTokens` must be at least 1.
    public init(
        maxNewTokens: Int = 128, minNewTokens: Int = 0, sourceLengthFactor: Float? = nil,
        sourceLengthOffset: Int = 0
    ) {
        precondition(
            maxNewTokens >= 1, "LengthLimit: maxNewTokens must be ≥ 1, got \(maxNewTokens)")
        precondition(
            minNewTokens >= 0, "LengthLimit: minNewTokens must be ≥ 0, got \(minNewTokens)")
        self.maxNewTokens = maxNewTokens
        self.minNewTokens = minNewTokens
        self.sourceLengthFactor = sourceLengthFactor
        self.sourceLengthOffset = sourceLengthOffset
    }

    /// The most tokens a source of `sourceLength` tokens may generate (at least 1).
    public func maxNewTokens(sourceLength: Int) -> Int {
        guard let factor = sourceLengthFactor else { return maxNewTokens }
        let scaled = Int((factor * Float(sourceLength)).rounded(.down)) + sourceLengthOffset
        return min(maxNewTokens, max(1, scaled))
    }
}
