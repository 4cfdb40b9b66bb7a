import Foundation
import SeqNN
import SeqTensor
import SeqTesting
import Testing

/// Additive, Luong, glimpse and pointer attention against a float64 PyTorch transcription of
/// the same formulas (tools/fixtures/make_attention_rnn.py): outputs, input gradients and
/// every parameter gradient, with key padding.
@Suite struct RNNAttentionParityTests {
    var rng = SeededGenerator(seed: 12)

    private func mask(_ fixture: Fixture) -> AttentionMask {
        .keyLengths(fixture.ids("keyLengths").map(Int.init))
    }

    @Test mutating func additive() throws {
        let fixture = try Fixture.load("rnn_attention_additive", in: .module)
        let layer = AdditiveAttention(querySize: 3, keySize: 4, attentionSize: 5, using: &rng)
        let mask = mask(fixture)
        expectMatchesFixture(fixture, module: layer, inputNames: ["queries", "keys", "values"]) {
            let read = layer($0[0], keys: $0[1], values: $0[2], mask: mask)
            return concatenate([read.context, read.weights], axis: -1)
        }
    }

    @Test(arguments: [
        ("rnn_attention_luong_dot", LuongAttention.Score.dot, 4),
        ("rnn_attention_luong_general", .general, 3),
        ("rnn_attention_luong_concat", .concat, 3),
    ])
    func luong(name: String, score: LuongAttention.Score, querySize: Int) throws {
        let fixture = try Fixture.load(name, in: .module)
        var generator = SeededGenerator(seed: 12)
        let layer = LuongAttention(
            querySize: querySize, keySize: 4, score: score, attentionSize: 5, using: &generator)
        let mask = mask(fixture)
        expectMatchesFixture(fixture, module: layer, inputNames: ["queries", "keys", "values"]) {
            let read = layer($0[0], keys: $0[1], values: $0[2], mask: mask)
            return concatenate([read.context, read.weights], axis: -1)
        }
    }

    @Test mutating func glimpse() throws {
        let fixture = try Fixture.load("rnn_attention_glimpse", in: .module)
        let layer = Glimpse(querySize: 3, memorySize: 4, attentionSize: 5, using: &rng)
        let mask = mask(fixture)
        expectMatchesFixture(fixture, module: layer, inputNames: ["queries", "memory"]) {
            let read = layer($0[0], memory: $0[1], mask: mask)
            return concatenate([read.context, read.weights], axis: -1)
        }
    }

    @Test(
        arguments: [("rnn_attention_pointer", nil), ("rnn_attention_pointer_clip", 2.5)]
            as [(String, Float?)])
    func pointer(name: String, clip: Float?) throws {
        let fixture = try Fixture.load(name, in: .module)
        var generator = SeededGenerator(seed: 12)
        let layer = PointerAttention(
            querySize: 3, keySize: 4, attentionSize: 5, logitClip: clip, using: &generator)
        let (mask, chosen) = (mask(fixture), fixture["chosen"])
        expectMatchesFixture(fixture, module: layer, inputNames: ["queries", "keys"]) {
            layer.logProbabilities(
                $0[0], projectedKeys: layer.projectedKeys($0[1]), mask: mask, chosen: chosen)
        }
    }
}
