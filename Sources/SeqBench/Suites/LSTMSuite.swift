import Seq2Seq

/// The `seq2seq bench lstm` suite.
///
/// Forward and backward through a stacked LSTM in tokens (sequence positions) per second. Its
/// peer is `bench/peers/pytorch_lstm.py` (`torch.nn.LSTM` on the same shapes), run by
/// `bench/compare_lstm.sh` in the same session.
package enum LSTMSuite {
    /// Every case of the suite.
    package static func cases(quick: Bool) -> [BenchCase] {
        [BenchCase(suite: "lstm", name: "2x512-b64-t50") { step(quick: quick) }]
    }

    /// A 2-layer, 512-unit LSTM (input 512) over a batch of 64 × 50 steps: forward, a loss
    /// that weights every output, and backward to every parameter (the input needs no
    /// gradient, as in the peer).
    private static func step(quick: Bool) -> Comparison {
        let (batch, steps, size) = (64, 50, 512)
        var generator = SeededGenerator(seed: 9)
        let lstm = LSTM(inputSize: size, hiddenSize: size, layers: 2, using: &generator)
        let input = Tensor.normal([batch, steps, size], using: &generator)
        let projection = Tensor.normal([batch, steps, size], using: &generator)
        return Comparison(
            suite: "lstm", name: "2x512-b64-t50", unit: "tokens/s", work: Double(batch * steps),
            warmup: quick ? 0 : 2, repetitions: quick ? 1 : 10,
            candidate: {
                (lstm(input).output * projection).mean().backward()
                lstm.zeroGradients()
            },
            reference: nil)
    }
}
