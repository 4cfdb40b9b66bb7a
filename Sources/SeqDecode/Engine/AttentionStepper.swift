import SeqModels
import SeqTensor

/// Steps a model for a search, with each row's cross attention when the search collects it
/// and the model can report it; otherwise exactly `model.step`.
struct AttentionStepper<Model: IncrementalDecoder> {
    let model: Model
    private let reportingStep: AttentionReportingStep<Model.State>?

    init(model: Model, options: AttentionOptions?) {
        self.model = model
        reportingStep = options.flatMap { model.attentionReportingStep(layer: $0.layer) }
    }

    /// Whether steps return attention (the hypotheses then carry it).
    var isCollecting: Bool { reportingStep != nil }

    /// One step: the log-probabilities `[rows, V]`, and when collecting one attention row per
    /// row of the state.
    func step(_ state: inout Model.State, lastTokens: [Int32]) -> (
        logProbabilities: Tensor, attention: [[Float]]?
    ) {
        guard let reportingStep else { return (model.step(&state, lastTokens: lastTokens), nil) }
        let result = reportingStep(&state, lastTokens)
        precondition(
            result.attention.map { $0.count == lastTokens.count } ?? true,
            "search: the model reported attention for \(result.attention?.count ?? 0) rows, "
                + "expected \(lastTokens.count)")
        return result
    }
}
