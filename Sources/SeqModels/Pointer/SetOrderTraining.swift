/// How the targets of a set-output task are ordered for teacher forcing, by searching over
/// orders ("Order Matters", Vinyals, Bengio and Kudlur, 2016).
///
/// The paper optimises `Σ_i max_π log p(Y_π(X_i) | X_i)` in two phases. For the first
/// `warmupSteps` training steps every example gets a fresh uniformly random order (a uniform
/// prior over orders, `Σ_π` instead of `max_π`). Afterwards each example's order comes from
/// the model itself, by ancestral decoding restricted to the target's elements: at every step
/// the next element is drawn among those not yet emitted, in proportion to the model's
/// probabilities (`sampled`, the paper's choice), or taken as the most probable of them
/// (`mostProbable`, which the paper warns can lock onto its first choice). That order is the
/// target of the gradient step; it costs one extra forward pass per example.
///
/// ```json
/// {"warmupSteps": 1000, "choice": "sampled"}
/// ```
public struct SetOrderTraining: Codable, Sendable, Equatable {
    /// How the model picks the next element of the order after the warm-up.
    public enum Choice: String, Codable, Sendable, CaseIterable {
        /// Drawn in proportion to the model's probabilities over the remaining elements.
        case sampled
        /// The most probable of the remaining elements.
        case mostProbable
    }

    /// The number of steps that use uniformly random orders.
    ///
    /// Default 1000 (the paper's).
    public var warmupSteps = 1000
    /// `sampled` (default) or `mostProbable`.
    public var choice: Choice = .sampled

    /// Creates the settings.
    public init(warmupSteps: Int = 1000, choice: Choice = .sampled) {
        self.warmupSteps = warmupSteps
        self.choice = choice
    }

    /// The keys a config file may use: the property names.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case warmupSteps, choice
    }

    /// Decodes settings in which every key is optional.
    ///
    /// - Throws: `ConfigError` naming the key: unknown keys, values of the wrong type, and a
    ///   negative `warmupSteps`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        warmupSteps = try container.decode(forKey: .warmupSteps, default: 1000)
        choice = try container.decode(forKey: .choice, default: Choice.sampled)
        guard warmupSteps >= 0 else {
            throw ConfigError(key: "warmupSteps", detail: "= \(warmupSteps) is negative")
                .prefixed(by: decoder.codingPath)
        }
    }
}
