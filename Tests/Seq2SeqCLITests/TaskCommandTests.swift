import Foundation
import SeqTesting
import Testing

/// `seq2seq task generate` and `seq2seq task score` run as processes.
@Suite struct TaskCommandTests {
    /// The fields of `seq2seq task score --json` that the tests read.
    struct Report: Decodable {
        struct Row: Decodable {
            var length: Int
            var count: Int
            var exactAccuracy: Double
        }

        var task: String
        var count: Int
        var exactAccuracy: Double
        var tokenAccuracy: Double
        var validRate: Double?
        var sortedRate: Double?
        var areaCoverage: Double?
        var triangleCoverage: Double?
        var meanTourLength: Double?
        var meanReferenceTourLength: Double?
        var tourLengthRatio: Double?
        var byLength: [Row]

        /// Decodes the printed JSON, whose keys are snake_case.
        static func decode(_ text: String) throws -> Report {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(Report.self, from: Data(text.utf8))
        }
    }

    @Test func generateWritesTheSameFileForTheSameSeed() throws {
        let files = try TemporaryFiles()
        let arguments = ["task", "generate", "tsp", "--count", "50", "--length", "5..8"]
        for (name, seed) in [("a.txt", "3"), ("b.txt", "3"), ("c.txt", "4")] {
            let run = try runCLI(arguments + ["--seed", seed, "--output", files.path(name)])
            try #require(run.status == 0, "\(run.standardError)")
            #expect(run.standardError.contains("wrote 50 tsp examples"))
        }
        let first = try String(contentsOfFile: files.path("a.txt"), encoding: .utf8)
        #expect(first == (try String(contentsOfFile: files.path("b.txt"), encoding: .utf8)))
        #expect(first != (try String(contentsOfFile: files.path("c.txt"), encoding: .utf8)))
        let lines = first.split(separator: "\n")
        #expect(lines.count == 50)
        for line in lines {
            let sides = line.split(separator: "\t")
            let inputs = sides[0].split(separator: " ").compactMap { Float($0) }
            let tour = sides[1].split(separator: " ").compactMap { Int($0) }
            #expect((10...16).contains(inputs.count) && inputs.count.isMultiple(of: 2))
            #expect(tour.sorted() == Array(0..<(inputs.count / 2)) && tour.first == 0)
        }
    }

    @Test func scoreOfTheReferenceItselfIsPerfect() throws {
        let files = try TemporaryFiles()
        let reference = files.path("hull.txt")
        let generate = try runCLI([
            "task", "generate", "convex-hull", "--count", "20", "--length", "5..10", "--seed",
            "1", "--output", reference,
        ])
        try #require(generate.status == 0, "\(generate.standardError)")
        let targets = try String(contentsOfFile: reference, encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t")[1] }
        let predictions = try files.write("predicted.txt", targets.joined(separator: "\n") + "\n")
        let run = try runCLI([
            "task", "score", "convex-hull", "--reference", reference, "--predictions",
            predictions, "--json",
        ])
        try #require(run.status == 0, "\(run.standardError)")
        let report = try Report.decode(run.standardOutput)
        #expect(report.task == "convex-hull" && report.count == 20)
        #expect(report.exactAccuracy == 1 && report.tokenAccuracy == 1)
        #expect(report.validRate == 1 && report.areaCoverage == 1)
        #expect(report.byLength.map(\.count).reduce(0, +) == 20)
        #expect(report.meanTourLength == nil)
    }

    @Test func delaunayScoresReportTriangleCoverage() throws {
        let files = try TemporaryFiles()
        let reference = files.path("delaunay.txt")
        let generate = try runCLI([
            "task", "generate", "delaunay", "--count", "10", "--length", "6", "--seed", "2",
            "--output", reference,
        ])
        try #require(generate.status == 0, "\(generate.standardError)")
        // Keep only each reference's first triangle: valid, a partial cover.
        let firsts = try String(contentsOfFile: reference, encoding: .utf8)
            .split(separator: "\n").map {
                $0.split(separator: "\t")[1].split(separator: " ").prefix(3)
            }
        let predictions = try files.write(
            "predicted.txt", firsts.map { $0.joined(separator: " ") }.joined(separator: "\n"))
        let run = try runCLI([
            "task", "score", "delaunay", "--reference", reference, "--predictions", predictions,
            "--json",
        ])
        try #require(run.status == 0, "\(run.standardError)")
        let report = try Report.decode(run.standardOutput)
        #expect(report.exactAccuracy == 0 && report.validRate == 1)
        let coverage = try #require(report.triangleCoverage)
        #expect(coverage > 0.1 && coverage < 0.3)  // 1 of 4 to 7 triangles for 6 points
    }

    @Test func scoreReportsTourLengthsAndValidity() throws {
        let files = try TemporaryFiles()
        // The unit square thrice: an optimal tour from city 1, a crossing tour, an invalid one.
        let square = "0 0 1 0 1 1 0 1\t0 1 2 3"
        let reference = try files.write(
            "tsp.txt", [square, square, square].joined(separator: "\n"))
        let predictions = try files.write("predicted.txt", "1 2 3 0\n0 2 1 3\n0 1 1 3\n")
        let json = try runCLI([
            "task", "score", "tsp", "--reference", reference, "--predictions", predictions,
            "--json",
        ])
        try #require(json.status == 0, "\(json.standardError)")
        let report = try Report.decode(json.standardOutput)
        #expect(report.exactAccuracy == 0)
        #expect(abs((report.validRate ?? 0) - 2.0 / 3) < 1e-12)
        let crossing = 2 + 2 * 2.0.squareRoot()
        #expect(abs((report.meanTourLength ?? 0) - (4 + crossing) / 2) < 1e-12)
        #expect(report.meanReferenceTourLength == 4)
        let text = try runCLI([
            "task", "score", "tsp", "--reference", reference, "--predictions", predictions,
        ])
        try #require(text.status == 0, "\(text.standardError)")
        #expect(
            text.standardOutput == """
                task: tsp, 3 examples
                exact accuracy: 0.00%
                token accuracy: 41.67%
                valid: 66.67%
                mean tour length: 4.4142 (reference 4.0000, ratio 1.1036)
                length 4: 0.00% exact of 3

                """)
    }

    @Test(arguments: [
        (["generate", "knapsack", "--count", "1", "--length", "3"], "unknown task 'knapsack'"),
        (
            ["generate", "convex-hull", "--count", "1", "--length", "2..5"],
            "convex-hull needs lengths of at least 3, got 2..5"
        ),
        (["generate", "sort", "--count", "1", "--length", "9..4"], "got '9..4'"),
        (["generate", "sort", "--count", "1", "--length", "a..b"], "got 'a..b'"),
        (["generate", "sort", "--count", "0", "--length", "4"], "--count must be at least 1"),
        (
            ["generate", "copy", "--count", "1", "--length", "4", "--max-value", "0"],
            "the largest value must be in 1...16777216, got 0"
        ),
    ])
    func generateNamesBadSettings(arguments: [String], message: String) throws {
        let files = try TemporaryFiles()
        let run = try runCLI(["task"] + arguments + ["--output", files.path("out.txt")])
        #expect(run.status != 0)
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: files.path("out.txt")))
    }

    @Test func scoreNamesBadFiles() throws {
        let files = try TemporaryFiles()
        let reference = try files.write("sort.txt", "0.5 0.25\t1 0\n0.1 0.2\t0 1\n")
        let short = try files.write("short.txt", "1 0\n")
        let malformed = try files.write("bad.txt", "1 0\n0 one\n")
        let cases: [([String], String)] = [
            (["--predictions", short], "\(short) has 1 lines but \(reference) has 2 examples"),
            (
                ["--predictions", malformed],
                "\(malformed):2: predicted value 'one' is not an integer"
            ),
            (
                ["--predictions", files.path("missing.txt")],
                "\(files.path("missing.txt")): no such file"
            ),
        ]
        for (arguments, message) in cases {
            let run = try runCLI(["task", "score", "sort", "--reference", reference] + arguments)
            #expect(run.status != 0)
            #expect(run.standardError.contains(message), "\(run.standardError)")
        }
        let badReference = try files.write("hull.txt", "0.1 0.2 0.3\t0 1 2\n")
        let run = try runCLI([
            "task", "score", "convex-hull", "--reference", badReference, "--predictions", short,
        ])
        #expect(run.status != 0)
        #expect(
            run.standardError.contains(
                "\(badReference):1: 3 input values do not make points of 2 coordinates"),
            "\(run.standardError)")
    }
}
