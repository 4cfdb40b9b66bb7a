import Foundation
import SeqKernels

/// One line of a benchmark report: our figure (a rate, a time or a size, in `unit`), the
/// reference's, and their ratio (higher is better for us).
package struct BenchResult: Codable, Sendable {
    package let suite: String
    package let `case`: String
    package let unit: String
    package let ours: Double
    package let reference: Double?
    package let ratio: Double?
    package let repetitions: Int

    private enum CodingKeys: String, CodingKey {
        case suite, `case`, unit, ours, reference, ratio, repetitions
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(suite, forKey: .suite)
        try container.encode(`case`, forKey: .case)
        try container.encode(unit, forKey: .unit)
        try container.encode(ours, forKey: .ours)
        try container.encode(reference, forKey: .reference)  // explicit null when absent
        try container.encode(ratio, forKey: .ratio)
        try container.encode(repetitions, forKey: .repetitions)
    }
}

/// The machine a report was measured on.
package struct MachineDescription: Codable, Sendable {
    package let cpu: String
    package let cores: Int
    package let threads: Int
    package let operatingSystem: String
    package let blas: String

    private enum CodingKeys: String, CodingKey {
        case cpu, cores, threads
        case operatingSystem = "os"
        case blas
    }

    /// Reads the CPU model from `/proc/cpuinfo` where it exists.
    package static func current() -> MachineDescription {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuInfo.split(separator: "\n")
            .first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        #if canImport(Accelerate)
            let blas = "Accelerate"
        #else
            let blas = "OpenBLAS"
        #endif
        return MachineDescription(
            cpu: model, cores: ProcessInfo.processInfo.activeProcessorCount,
            threads: kernelThreadCount,
            operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString, blas: blas)
    }
}

/// What `seq2seq bench` prints: the machine, the build configuration and every result.
package struct BenchReport: Codable, Sendable {
    package let machine: MachineDescription
    package let build: String
    package let results: [BenchResult]

    /// `release` or `debug`: how this binary was compiled.
    package static var buildConfiguration: String {
        #if DEBUG
            return "debug"
        #else
            return "release"
        #endif
    }

    /// The report as one JSON object.
    package func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The report as an aligned, human-readable table.
    package func table() -> String {
        var lines = [
            "machine: \(machine.cpu), \(machine.cores) cores, \(machine.threads) kernel threads, BLAS \(machine.blas)",
            "build: \(build)",
            "",
        ]
        let header = ["suite", "case", "ours", "reference", "ratio", "unit"]
        var rows = [header]
        for result in results {
            rows.append([
                result.suite, result.case, format(result.ours),
                result.reference.map(format) ?? "—",
                result.ratio.map { String(format: "%.2f×", $0) } ?? "—", result.unit,
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            lines.append(
                row.enumerated().map { index, cell in
                    index < 2
                        ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[index] - cell.count) + cell
                }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    private func format(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }
}
