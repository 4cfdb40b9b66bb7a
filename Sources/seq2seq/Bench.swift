import ArgumentParser
import Foundation
import SeqBench

/// `seq2seq bench SUITE`: measures our kernels and models against references in the same run.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark against references measured in the same run (ratio = ours / reference).",
        subcommands: [Kernels.self])

    struct Kernels: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GEMM, elementwise, softmax, layer norm and a Transformer training step.")

        @Flag(help: "Print one JSON object instead of a table.")
        var json = false

        @Flag(help: "Few repetitions: checks that every case runs, not how fast.")
        var quick = false

        func run() throws {
            warnIfDebugBuild()
            let report = BenchRunner.run(KernelSuite.comparisons(quick: quick)) { result in
                if !json {
                    standardError("  measured \(result.suite)/\(result.case)")
                }
            }
            print(json ? try report.json() : report.table())
        }
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
