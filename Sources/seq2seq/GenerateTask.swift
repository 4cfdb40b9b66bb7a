import ArgumentParser
import Foundation
import Seq2Seq

/// `seq2seq task generate NAME`: seeded examples of a task, written one per line.
struct GenerateTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write examples of an algorithmic task, reproducibly from a seed.",
        discussion: """
            Each example's length is drawn uniformly from --length (elements; digits per \
            operand for addition). Targets: copy/reverse tokens; sort and sort-integers the \
            input positions in ascending order (stable); sort-integers-successor the \
            successor hint a1 s1 ... an sn; addition the digits of the sum; convex-hull the \
            hull vertices counter-clockwise from the lowest position; delaunay the \
            triangles (sorted triples, ordered by incentre); tsp a tour from \
            position 0, optimal (Held-Karp) up to \(TravellingSalesman.exactLimit) cities \
            and a 2-opt tour beyond. The same arguments give the same file.
            """)

    @Argument(help: ArgumentHelp("The task: \(TaskName.allNames).", valueName: "name"))
    var name: String

    @Option(help: "How many examples to write.")
    var count: Int

    @Option(help: ArgumentHelp("Lengths to draw from, A..B or a single length.", valueName: "A..B"))
    var length: String

    @Option(help: "The seed of the generator.")
    var seed: UInt64 = 0

    @Option(
        help: "The largest token for copy, reverse and the integer sorting tasks (default 100).")
    var maxValue: Int?

    @Option(help: ArgumentHelp("The file to write.", valueName: "file"))
    var output: String

    func validate() throws {
        _ = try settings()
        guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
    }

    func run() throws {
        let generator = try settings()
        let start = Date()
        let examples = generator.examples(count: count, seed: seed)
        try TaskFile.write(
            examples, task: generator.task, to: URL(fileURLWithPath: output))
        let seconds = Date().timeIntervalSince(start)
        let lengths = generator.lengths
        FileHandle.standardError.write(
            Data(
                ("wrote \(count) \(generator.task.rawValue) examples (lengths "
                    + "\(lengths.lowerBound)..\(lengths.upperBound), seed \(seed)) to \(output) in "
                    + String(format: "%.2f", seconds) + " s\n").utf8))
    }

    /// The generator the options describe.
    private func settings() throws -> TaskGenerator {
        let task = try taskNamed(name)
        let lengths = try parseLengths(length)
        do {
            return try TaskGenerator(task: task, lengths: lengths, maxValue: maxValue)
        } catch let error as TaskSettingsError {
            throw ValidationError("\(error)")
        }
    }
}

/// `A..B` or `A` as a range, or a validation error naming `--length`.
private func parseLengths(_ text: String) throws -> ClosedRange<Int> {
    let parts = text.split(separator: "..", omittingEmptySubsequences: false)
    let bounds = parts.map { Int($0.trimmingCharacters(in: .whitespaces)) }
    if bounds.count == 1, let single = bounds[0] { return single...single }
    guard bounds.count == 2, let lower = bounds[0], let upper = bounds[1], lower <= upper else {
        throw ValidationError(
            "--length must be A..B with A <= B (or one length), got '\(text)'")
    }
    return lower...upper
}
