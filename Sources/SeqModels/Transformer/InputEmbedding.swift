import SeqNN
import SeqTensor

// Legend: B batch rows, T positions in this call, D model size.

/// The input of a Transformer stack: `dropout(norm(scale · table[ids] + positions))`, where
/// `norm` is the identity unless the config has `embeddingNorm`.
///
/// Row `b` of the `[B, T]` id grid starts at absolute position `offsets[b]`, which differ
/// between rows only when `TransformerLM` decodes left-padded prefixes (negative positions
/// belong to padding and are clamped to 0). Rotary positions are applied inside attention
/// instead, so then nothing is added here.
struct InputEmbedding {
    /// The token table.
    let table: Embedding
    /// The factor on the token vectors.
    let scale: Float
    /// Learned absolute positions, if any.
    let learned: LearnedPositionalEmbedding?
    /// The sine/cosine signal, if any.
    let sinusoid: SinusoidalPositionalEncoding?
    /// The norm of the sum (BART's `layernorm_embedding`), if any.
    let norm: (any UnaryLayer)?
    /// Dropout on the sum.
    let dropout: Dropout

    /// `[B, T, D]` vectors for `ids`, row-major `[B, T]`.
    func callAsFunction(_ ids: [Int32], shape: [Int], offsets: [Int]) -> Tensor {
        precondition(
            shape.count == 2 && offsets.count == shape[0],
            "InputEmbedding: \(offsets.count) offsets for ids of shape \(shape)")
        var x = table(ids, shape: shape)
        if scale != 1 { x = x * scale }
        guard learned != nil || sinusoid != nil else { return dropout(normalized(x)) }
        if let first = offsets.first, offsets.allSatisfy({ $0 == first }) {
            if let learned { x = learned(x, offset: first) }
            if let sinusoid { x = sinusoid(x, offset: first) }
        } else {
            x = x + perRowPositions(length: shape[1], offsets: offsets)
        }
        return dropout(normalized(x))
    }

    /// `x` through `norm`, or `x` itself without one.
    private func normalized(_ x: Tensor) -> Tensor { norm.map { $0(x) } ?? x }

    /// `[B, T, D]` position vectors when rows start at different positions.
    private func perRowPositions(length: Int, offsets: [Int]) -> Tensor {
        let shape = [offsets.count, length]
        if let learned {
            let positions = offsets.flatMap { offset in
                (0..<length).map { Int32(max(0, offset + $0)) }
            }
            let last = Int(positions.max() ?? 0)
            precondition(
                last < learned.maxLength,
                "TransformerLM: position \(last) exceeds maxPositions \(learned.maxLength)")
            return learned.weight.value.embeddingLookup(ids: positions, shape: shape)
        }
        guard let sinusoid else { preconditionFailure("InputEmbedding: no position encoding") }
        // Each row's own positions only: a table up to the largest position would cost
        // O(position · D) sines per decoding step. Padding (negative positions) gets zeros.
        let modelSize = sinusoid.modelSize
        var scalars = [Float](repeating: 0, count: offsets.count * length * modelSize)
        for (row, offset) in offsets.enumerated() where offset + length > 0 {
            let first = max(0, offset)
            let signal = sinusoid.encoding(positions: first..<(offset + length)).scalars
            let start = (row * length + first - offset) * modelSize
            scalars.replaceSubrange(start..<(start + signal.count), with: signal)
        }
        return Tensor(shape: shape + [modelSize], scalars: scalars)
    }
}
