import SeqNN
import SeqTensor

/// A model the trainer can train and evaluate on sentence pairs, whatever its architecture.
public protocol TranslationModel: Module {
    /// The summed label-smoothed cross-entropy of predicting each pair's target (and its end
    /// token) from its source, and the number of target tokens it covers.
    ///
    /// - Parameters:
    ///   - pairs: Examples as ids; sources end with the end id, targets have neither start nor
    ///     end id.
    ///   - labelSmoothing: ε of the smoothed loss; `0` gives the plain negative log-likelihood.
    /// - Returns: The summed loss (a scalar) and the number of target tokens it sums over.
    func loss(_ pairs: [EncodedPair], labelSmoothing: Float) -> (sum: Tensor, tokens: Int)

    /// Translates `sources` (ids ending with the end id) with beam search of `beamSize`
    /// (`1` is greedy), each output at most `maxLengthA` · source length + `maxLengthB`
    /// tokens; returns the best output of each, without start or end id.
    func translate(
        _ sources: [[Int32]], beamSize: Int, maxLengthA: Double, maxLengthB: Int
    ) -> [[Int32]]
}
