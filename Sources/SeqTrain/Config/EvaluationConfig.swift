import SeqModels
/// How the validation set is decoded and scored at each evaluation.
public struct EvaluationConfig: Sendable {
    /// Beam size of the validation decoding; 1 is greedy.
    public var beam = 1
    /// Longest output: `maxLengthA` · source length + `maxLengthB` tokens.
    public var maxLengthA: Double = 1.5
    /// See `maxLengthA`.
    public var maxLengthB = 10
    /// Decode only the first this many validation pairs for BLEU, or `nil` for all.
    public var maxExamples: Int?
    /// Sentences decoded together.
    public var batchSize = 64

    /// Creates settings; every argument has the default documented on its property.
    public init(
        beam: Int = 1, maxLengthA: Double = 1.5, maxLengthB: Int = 10, maxExamples: Int? = nil,
        batchSize: Int = 64
    ) {
        self.beam = beam
        self.maxLengthA = maxLengthA
        self.maxLengthB = maxLengthB
        self.maxExamples = maxExamples
        self.batchSize = batchSize
    }

    func validate() throws {
        guard beam >= 1 else {
            throw ConfigError(key: "evaluation.beam", detail: "must be at least 1")
        }
        guard batchSize >= 1 else {
            throw ConfigError(key: "evaluation.batchSize", detail: "must be at least 1")
        }
        if let maxExamples, maxExamples < 1 {
            throw ConfigError(key: "evaluation.maxExamples", detail: "must be at least 1")
        }
    }
}

extension EvaluationConfig: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case beam, maxLengthA, maxLengthB, maxExamples, batchSize
    }

    /// Decodes strictly: unknown keys are errors.
    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        beam = try c.decodeIfPresent(Int.self, forKey: .beam) ?? beam
        maxLengthA = try c.decodeIfPresent(Double.self, forKey: .maxLengthA) ?? maxLengthA
        maxLengthB = try c.decodeIfPresent(Int.self, forKey: .maxLengthB) ?? maxLengthB
        maxExamples = try c.decodeIfPresent(Int.self, forKey: .maxExamples)
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? batchSize
    }
}
