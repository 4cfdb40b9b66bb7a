import ArgumentParser
import Foundation
import Seq2Seq
import SeqBench

/// `seq2seq bench SUITE`: measures our kernels and models against references in the same run.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Benchmark against references measured in the same run (ratio = ours / reference).",
        subcommands: [Kernels.self, TrainStep.self, Decode.self, LSTMStep.self, Pointer.self])

    struct Kernels: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GEMM, elementwise, softmax, layer norm and a Transformer training step.")

        @OptionGroup var options: BenchOptions

        func run() throws { try options.run(KernelSuite.cases(quick: options.quick)) }
    }
}

extension Bench {
    struct TrainStep: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract:
                "A training step of the reference Transformer (compare with bench/peers/pytorch_train.py)."
        )

        @OptionGroup var options: BenchOptions

        func run() throws { try options.run(TrainSuite.cases(quick: options.quick)) }
    }
}

extension Bench {
    struct Pointer: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Fused additive-attention scores and pointer-network training steps.")

        @OptionGroup var options: BenchOptions

        func run() throws { try options.run(PointerSuite.cases(quick: options.quick)) }
    }
}

extension Bench {
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Decoding latency, throughput and peak memory (compare with bench/compare_decode.sh).",
            discussion: """
                Sources of 32 tokens, exactly 32 new tokens: greedy-b1 and beam4-b1 (ms per \
                sentence), first-token-b1 (ms: encoder and first decoder step), greedy-b32 \
                (tokens/s over 32 sources) and peak-rss (MiB, the whole run). Without --model, \
                the reference Marian-shaped model (d 256, 3 + 3 layers, vocabulary 8000) with \
                fixed-seed random weights.
                """)

        @Option(help: "A model directory to decode instead of the built-in reference model.")
        var model: String?

        @OptionGroup var options: BenchOptions

        func run() throws {
            guard let model else {
                return try options.run(
                    DecodeSuite.cases(quick: options.quick, model: DecodeSuite.referenceModel))
            }
            let seq2seq = try DecodeSuite.model(contentsOf: URL(fileURLWithPath: model))
            try options.run(DecodeSuite.cases(quick: options.quick) { seq2seq })
        }
    }
}

/// Options every benchmark suite takes.
struct BenchOptions: ParsableArguments {
    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "One untimed-warm-up-free repetition per case: checks that cases run, not speed.")
    var quick = false

    @Option(help: "Run only the cases whose `suite/case` name contains this text.")
    var filter: String?

    @Flag(help: "List the case names and exit without measuring.")
    var list = false

    /// Runs (or lists) the selected cases and prints the report.
    func run(_ cases: [BenchCase]) throws {
        let selected = cases.filter { filter.map($0.path.contains) ?? true }
        guard !selected.isEmpty else {
            throw ValidationError(
                "--filter '\(filter ?? "")' matches no case; cases: "
                    + cases.map(\.path).joined(separator: ", "))
        }
        if list {
            print(selected.map(\.path).joined(separator: "\n"))
            return
        }
        warnIfDebugBuild()
        let report = BenchRunner.run(selected) { result in
            if !json { standardError("  measured \(result.suite)/\(result.case)") }
        }
        print(json ? try report.json() : report.table())
    }
}

/// Loudly warns on standard error that a debug build's figures mean nothing.
private func warnIfDebugBuild() {
    #if DEBUG
        standardError(
            """
            ************************************************************************
            WARNING: this is a DEBUG build of seq2seq. Benchmark figures from a debug
            build are meaningless; build with `swift build -c release` and run
            .build/release/seq2seq bench.
            ************************************************************************
            """)
    #endif
}

/// Writes `message` and a newline to standard error.
func standardError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
