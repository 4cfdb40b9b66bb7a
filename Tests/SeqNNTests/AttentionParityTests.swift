import Foundation
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// MultiHeadAttention against `F.scaled_dot_product_attention` with the same projections
/// (tools/fixtures/make_attention.py): outputs, gradients of inputs and weights, and the
/// same outputs decoded step by step through the key/value cache.
@Suite struct AttentionParityTests {
    var rng = SeededGenerator(seed: 10)

    private func lengths(_ fixture: Fixture) -> [Int] { fixture.ids("keyLengths").map(Int.init) }

    /// Decodes the fixture's `queries` one position at a time through a self-attention cache.
    private func decodeStepByStep(
        _ attention: MultiHeadAttention, _ fixture: Fixture, lengths: [Int]?
    ) -> Tensor {
        let x = fixture["queries"]
        var cache: KeyValueCache? = nil
        let steps = (0..<x.shape[1]).map { position in
            let token = x.sliced(axis: 1, position..<(position + 1))
            var mask = AttentionMask.causal
            if let lengths { mask = mask.combined(with: .keyLengths(lengths)) }
            return withoutGradients {
                attention(token, keys: token, values: token, mask: mask, cache: &cache)
            }
        }
        return concatenate(steps, axis: 1)
    }

    @Test mutating func selfAttentionWithCausalMaskAndKeyPadding() throws {
        let fixture = try Fixture.load("attention_self_causal_padding", in: .module)
        let attention = MultiHeadAttention(modelSize: 8, headCount: 2, using: &rng)
        let mask = AttentionMask.causal.combined(with: .keyLengths(lengths(fixture)))
        expectMatchesFixture(fixture, module: attention, inputNames: ["queries"]) {
            attention($0[0], keys: $0[0], values: $0[0], mask: mask)
        }
        expectClose(
            decodeStepByStep(attention, fixture, lengths: lengths(fixture)), fixture["output"],
            tolerance: fixture.tolerance)
    }

    @Test mutating func crossAttentionWithGroupedKeyValueHeads() throws {
        let fixture = try Fixture.load("attention_cross_gqa", in: .module)
        let attention = MultiHeadAttention(
            modelSize: 8, headCount: 2, keyValueHeadCount: 1, using: &rng)
        let mask = AttentionMask.keyLengths(lengths(fixture))
        expectMatchesFixture(fixture, module: attention, inputNames: ["queries", "keys", "values"])
        {
            attention($0[0], keys: $0[1], values: $0[2], mask: mask)
        }
        let memory = attention.projectedKeyValues(keys: fixture["keys"], values: fixture["values"])
        let queries = fixture["queries"]
        let steps = (0..<queries.shape[1]).map { position in
            attention(
                queries.sliced(axis: 1, position..<(position + 1)), keyValues: memory, mask: mask,
                queryOffset: position)
        }
        expectClose(concatenate(steps, axis: 1), fixture["output"], tolerance: fixture.tolerance)
    }

    @Test mutating func rotarySelfAttentionWithGroupedKeyValueHeads() throws {
        let fixture = try Fixture.load("attention_rotary_gqa", in: .module)
        let attention = MultiHeadAttention(
            modelSize: 16, headCount: 4, keyValueHeadCount: 2, bias: false, rotary: true,
            using: &rng)
        expectMatchesFixture(fixture, module: attention, inputNames: ["queries"]) {
            attention($0[0], keys: $0[0], values: $0[0], mask: .causal)
        }
        expectClose(
            decodeStepByStep(attention, fixture, lengths: nil), fixture["output"],
            tolerance: fixture.tolerance)
    }
}
