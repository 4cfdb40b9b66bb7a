import SeqModels

/// How a task model's outputs are decoded and scored, during training and by
/// `seq2seq task evaluate`.
///
/// ```yaml
/// evaluation: {beam: 1, testBeam: 4, constraint: permutation, maxExamples: 1000}
/// ```
public struct TaskEvaluationConfig: Sendable, Equatable {
    /// Beam size of the validation decoding; 1 is greedy.
    public var beam = 1
    /// Beam size of the final test decoding, or `nil` for `beam`.
    public var testBeam: Int?
    /// Exponent α of the beam's length normalisation `score / length^α`; 0 (default) ranks
    /// by total log-probability.
    public var lengthPenalty: Float = 0
    /// Examples decoded together.
    public var batchSize = 256
    /// Decode only the first this many validation examples, or `nil` for all (the
    /// validation loss always uses all).
    public var maxExamples: Int?
    /// The outputs decoding allows, or `nil` for the model's `constraint`.
    public var constraint: PointerConstraint?

    /// Creates settings; every argument has the default documented on its property.
    public init(
        beam: Int = 1, testBeam: Int? = nil, lengthPenalty: Float = 0, batchSize: Int = 256,
        maxExamples: Int? = nil, constraint: PointerConstraint? = nil
    ) {
        self.beam = beam
        self.testBeam = testBeam
        self.lengthPenalty = lengthPenalty
        self.batchSize = batchSize
        self.maxExamples = maxExamples
        self.constraint = constraint
    }

    func validate() throws {
        for (key, value) in [("beam", beam), ("testBeam", testBeam ?? 1), ("batchSize", batchSize)]
        where value < 1 {
            throw ConfigError(key: "evaluation.\(key)", detail: "must be at least 1, got \(value)")
        }
        if let maxExamples, maxExamples < 1 {
            throw ConfigError(key: "evaluation.maxExamples", detail: "must be at least 1")
        }
        guard lengthPenalty.isFinite else {
            throw ConfigError(key: "evaluation.lengthPenalty", detail: "must be finite")
        }
    }
}

extension TaskEvaluationConfig: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case beam, testBeam, lengthPenalty, batchSize, maxExamples, constraint
    }

    /// Decodes strictly: unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        beam = try c.decode(forKey: .beam, default: beam)
        testBeam = try c.decode(forKey: .testBeam, default: nil)
        lengthPenalty = try c.decode(forKey: .lengthPenalty, default: lengthPenalty)
        batchSize = try c.decode(forKey: .batchSize, default: batchSize)
        maxExamples = try c.decode(forKey: .maxExamples, default: nil)
        constraint = try c.decode(forKey: .constraint, default: nil)
    }
}
