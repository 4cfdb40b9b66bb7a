/// Whether differentiable ops record the graph; off inside `withoutGradients`.
public enum GradientRecording {
    /// `true` unless the current task is inside `withoutGradients`.
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording a graph: inference pays nothing for autodiff.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradientRecording.$isEnabled.withValue(false, operation: body)
}
