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
