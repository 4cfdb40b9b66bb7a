import SeqModels
import SeqNN
import SeqTensor
import Testing

/// A config small enough for finite differences and quick training: 11 tokens, `modelSize`
/// 16, four heads over two key/value heads, two layers each side, no dropout.
func tinyConfig(
    positions: TransformerConfig.PositionEncoding = .rotary,
    normalizationPosition: TransformerConfig.NormalizationPosition = .pre
) -> TransformerConfig {
    var config = TransformerConfig()
    config.vocabularySize = 11
    config.modelSize = 16
    config.headCount = 4
    config.keyValueHeadCount = 2
    config.encoderLayerCount = 2
    config.decoderLayerCount = 2
    config.feedForwardSize = 24
    config.positions = positions
    config.maxPositions = 32
    config.normalizationPosition = normalizationPosition
    config.dropout = 0
    return config
}

/// Every combination of position encoding and norm placement.
let positionAndNormCases:
    [(TransformerConfig.PositionEncoding, TransformerConfig.NormalizationPosition)] =
        TransformerConfig.PositionEncoding.allCases.flatMap { positions in
            TransformerConfig.NormalizationPosition.allCases.map { (positions, $0) }
        }

/// Row `row`, position `position` of `[B, T, V]` logits, as `V` floats.
func logitRow(_ logits: Tensor, row: Int, position: Int) -> [Float] {
    let (length, width) = (logits.shape[1], logits.shape[2])
    let start = (row * length + position) * width
    return Array(logits.scalars[start..<(start + width)])
}

/// Checks the gradients `backward()` leaves in every parameter of `module` against central
/// differences along one random direction per parameter (as in SeqNNTests' layer tests).
///
/// The loss is `⟨f(), w⟩` with fixed random `w`; `f` must be deterministic (dropout off).
func expectParameterGradientsMatch(
    of module: some Module, seed: UInt64 = 11, epsilon: Float = 1e-2, tolerance: Double = 1e-2,
    sourceLocation: SourceLocation = #_sourceLocation, _ f: () -> Tensor
) {
    var generator = SeededGenerator(seed: seed)
    let weights = withoutGradients { Tensor.normal(f().shape, using: &generator) }
    func lossValue() -> Double {
        withoutGradients {
            zip(f().scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
    }
    module.zeroGradients()
    (f() * weights).sum().backward()
    for (path, parameter) in module.namedParameters() {
        let original = withoutGradients { parameter.value }
        let direction = Tensor.normal(parameter.shape, using: &generator)
        let gradient = parameter.gradient ?? .zeros(parameter.shape)
        let analytic = zip(gradient.scalars, direction.scalars)
            .reduce(0) { $0 + Double($1.0) * Double($1.1) }
        parameter.value = original + epsilon * direction
        let plus = lossValue()
        parameter.value = original - epsilon * direction
        let minus = lossValue()
        parameter.value = original
        let numeric = (plus - minus) / (2 * Double(epsilon))
        #expect(
            abs(analytic - numeric) <= tolerance * max(1, abs(numeric)),
            "\(path): analytic \(analytic), finite-difference \(numeric)",
            sourceLocation: sourceLocation)
    }
    module.zeroGradients()
}
