#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SeqTensor

// Legend: B batch, T positions in this call, D model size, H heads.

/// Adds the fixed sine/cosine position signal of the original Transformer to its input.
///
/// From "Attention Is All You Need" (Vaswani and others, 2017).
/// For position `p` and pair `i`, the angle is `p / 10000^(2i/D)`. `layout` chooses where the
/// sine and cosine of pair `i` go: `.interleaved` puts them at `2i` and `2i+1` (the paper,
/// PyTorch's tutorial); `.halves` puts all sines first and all cosines after (tensor2tensor,
/// fairseq, Marian). The signal is computed on demand, so there is no maximum length, and
/// it is added unscaled (models that scale embeddings by `√D` do so themselves).
///
/// Shapes: input and output `[B, T, D]` (or `[T, D]`); positions run from `offset`.
public final class SinusoidalPositionalEncoding: UnaryLayer {
    /// Where the sine and cosine of each frequency are placed.
    public enum Layout: String, Codable, Sendable, CaseIterable {
        /// `sin` at even indices, `cos` at odd ones.
        case interleaved
        /// All sines in the first half, all cosines in the second.
        case halves
    }

    /// The size `D` of the vectors the signal is added to; even.
    public let modelSize: Int
    /// Where the sine and cosine of each frequency go.
    public let layout: Layout

    /// Creates the encoding for vectors of `modelSize` (even) elements.
    public init(modelSize: Int, layout: Layout = .interleaved) {
        precondition(
            modelSize > 0 && modelSize.isMultiple(of: 2),
            "SinusoidalPositionalEncoding: modelSize must be positive and even, got \(modelSize)")
        self.modelSize = modelSize
        self.layout = layout
    }

    /// The signal for `positions`, shape `[positions.count, D]`, untracked.
    public func encoding(positions: Range<Int>) -> Tensor {
        let half = modelSize / 2
        var scalars = [Float](repeating: 0, count: positions.count * modelSize)
        for (row, position) in positions.enumerated() {
            for pair in 0..<half {
                let angle = Double(position) * pow(10_000, -2 * Double(pair) / Double(modelSize))
                let (sineIndex, cosineIndex) =
                    layout == .interleaved ? (2 * pair, 2 * pair + 1) : (pair, half + pair)
                scalars[row * modelSize + sineIndex] = Float(sin(angle))
                scalars[row * modelSize + cosineIndex] = Float(cos(angle))
            }
        }
        return Tensor(shape: [positions.count, modelSize], scalars: scalars)
    }

    /// Adds the signal for positions `offset ..< offset + T` to `input`, `[..., T, D]`.
    ///
    /// When decoding one step at a time, `offset` is the number of positions already decoded.
    public func callAsFunction(_ input: Tensor, offset: Int) -> Tensor {
        precondition(
            input.rank >= 2 && input.shape.last == modelSize,
            "SinusoidalPositionalEncoding: input \(input.shape) must be [..., T, \(modelSize)]")
        let length = input.shape[input.rank - 2]
        return input + encoding(positions: offset..<(offset + length))
    }

    /// Adds the signal for positions `0 ..< T` to `input`, `[..., T, D]`.
    public func callAsFunction(_ input: Tensor) -> Tensor { self(input, offset: 0) }
}

/// Adds a learned vector per absolute position to its input (BERT, GPT-2).
///
/// Shapes: input and output `[B, T, D]` (or `[T, D]`); positions run from `offset`, and
/// `offset + T` may not exceed `maxLength`.
/// Initialisation: `N(0, 1)`, as PyTorch's `nn.Embedding`.
public final class LearnedPositionalEmbedding: UnaryLayer {
    /// One vector per position, shape `[maxLength, modelSize]`.
    public let weight: Parameter

    /// The number of positions with a vector.
    public var maxLength: Int { weight.shape[0] }
    /// The size `D` of each vector.
    public var modelSize: Int { weight.shape[1] }

    /// Creates `maxLength` position vectors of `modelSize` elements drawn from `generator`.
    public init(maxLength: Int, modelSize: Int, using generator: inout SeededGenerator) {
        precondition(
            maxLength > 0 && modelSize > 0,
            "LearnedPositionalEmbedding: sizes must be positive, got \(maxLength) × \(modelSize)")
        weight = Parameter(.normal([maxLength, modelSize], using: &generator))
    }

    /// Adds the vectors of positions `offset ..< offset + T` to `input`, `[..., T, D]`.
    public func callAsFunction(_ input: Tensor, offset: Int) -> Tensor {
        precondition(
            input.rank >= 2 && input.shape.last == modelSize,
            "LearnedPositionalEmbedding: input \(input.shape) must be [..., T, \(modelSize)]")
        let length = input.shape[input.rank - 2]
        precondition(
            offset >= 0 && offset + length <= maxLength,
            "LearnedPositionalEmbedding: positions \(offset)..<\(offset + length) exceed maxLength \(maxLength)"
        )
        return input + weight.value.sliced(axis: 0, offset..<(offset + length))
    }

    /// Adds the vectors of positions `0 ..< T` to `input`, `[..., T, D]`.
    public func callAsFunction(_ input: Tensor) -> Tensor { self(input, offset: 0) }
}

/// Rotary position embedding (RoPE) in the half-split layout of GPT-NeoX and Hugging Face LLaMA.
///
/// From RoFormer (Su and others, 2021).
/// Feature `i` of the first half is paired with feature `i + headSize/2`, and the pair is
/// rotated by the angle `p · base^(−2i/headSize)` for position `p`:
/// `x·cos + rotateHalf(x)·sin` with `rotateHalf([x₁, x₂]) = [−x₂, x₁]`. (The original
/// paper and GPT-J pair adjacent features `2i, 2i+1` instead; checkpoints from those need
/// their projection rows permuted.) Attention applies it to queries and keys after the head
/// split, from the absolute position of the first new token.
///
/// Shapes: input and output `[..., T, headSize]`, for example `[B, H, T, headSize]`.
public struct RotaryPositionalEncoding: Sendable {
    /// The size of each head's vector; even.
    public let headSize: Int
    /// The base of the angle frequencies, `10000` in RoFormer and LLaMA.
    public let base: Float

    /// Creates the rotation for heads of `headSize` (even) elements.
    public init(headSize: Int, base: Float = 10_000) {
        precondition(
            headSize > 0 && headSize.isMultiple(of: 2),
            "RotaryPositionalEncoding: headSize must be positive and even, got \(headSize)")
        precondition(base > 1, "RotaryPositionalEncoding: base must exceed 1, got \(base)")
        self.headSize = headSize
        self.base = base
    }

    /// The cosines and sines for `positions`, each `[positions.count, headSize]`, untracked.
    public func angles(positions: Range<Int>) -> (cosines: Tensor, sines: Tensor) {
        let half = headSize / 2
        var cosines = [Float](repeating: 0, count: positions.count * headSize)
        var sines = cosines
        for (row, position) in positions.enumerated() {
            for pair in 0..<half {
                let frequency = pow(Double(base), -2 * Double(pair) / Double(headSize))
                let angle = Double(position) * frequency
                for index in [row * headSize + pair, row * headSize + half + pair] {
                    cosines[index] = Float(cos(angle))
                    sines[index] = Float(sin(angle))
                }
            }
        }
        let shape = [positions.count, headSize]
        return (Tensor(shape: shape, scalars: cosines), Tensor(shape: shape, scalars: sines))
    }

    /// Rotates `input`, `[..., T, headSize]`, for positions `offset ..< offset + T`.
    public func callAsFunction(_ input: Tensor, offset: Int = 0) -> Tensor {
        precondition(
            input.rank >= 2 && input.shape.last == headSize,
            "RotaryPositionalEncoding: input \(input.shape) must be [..., T, \(headSize)]")
        let axis = input.rank - 1
        let length = input.shape[input.rank - 2]
        let (cosines, sines) = angles(positions: offset..<(offset + length))
        let half = headSize / 2
        let first = input.sliced(axis: axis, 0..<half)
        let second = input.sliced(axis: axis, half..<headSize)
        let rotatedHalf = concatenate([-second, first], axis: axis)
        return input * cosines + rotatedHalf * sines
    }
}
