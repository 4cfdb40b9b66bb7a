import ArgumentParser
import SeqBench

extension Bench {
    /// `seq2seq bench lstm`: forward and backward through a 2-layer, 512-unit LSTM.
    struct LSTMStep: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lstm",
            abstract:
                "Forward + backward of a 2x512 LSTM, batch 64 x 50 steps (compare with bench/peers/pytorch_lstm.py)."
        )

        @OptionGroup var options: BenchOptions

        func run() throws { try options.run(LSTMSuite.cases(quick: options.quick)) }
    }
}
