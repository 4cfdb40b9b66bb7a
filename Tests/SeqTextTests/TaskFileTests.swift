import Foundation
import SeqText
import Testing

/// The task line format: writing, reading back, and errors that name the file and line.
@Suite struct TaskFileTests {
    @Test func linesSeparateInputsFromTargetByATab() {
        let points = TaskExample(inputs: [0.5, 0.25, 1e-05, 0.875], target: [1, 0])
        #expect(TaskFile.line(for: points, task: .tsp) == "0.5 0.25 1e-05 0.875\t1 0")
        let tokens = TaskExample(inputs: [3, 10, 7], target: [7, 3])
        #expect(TaskFile.line(for: tokens, task: .reverse) == "3 10 7\t7 3")
    }

    @Test(arguments: TaskName.allCases)
    func generatedFilesReadBackExactly(task: TaskName) throws {
        let lengths = task.minimumLength...9
        let examples = try TaskGenerator(task: task, lengths: lengths).examples(count: 40, seed: 5)
        try FixtureFiles.withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("\(task.rawValue).txt")
            try TaskFile.write(examples, task: task, to: url)
            #expect(try TaskFile.read(contentsOf: url, task: task) == examples)
        }
    }

    @Test func predictionsReadOneSequencePerLineWithEmptyLinesEmpty() throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("predictions.txt")
            try Data("0 2 1\n\n4\n".utf8).write(to: url)
            #expect(try TaskFile.readPredictions(contentsOf: url) == [[0, 2, 1], [], [4]])
        }
    }

    @Test(arguments: [
        ("0.1 0.2 0.3 0.4", "found 0 tabs"),
        ("0.1 0.2\t0\t1", "found 2 tabs"),
        ("0.1 x 0.3 0.4\t0 1", "input value 'x' is not a finite number"),
        ("0.1 nan 0.3 0.4\t0 1", "input value 'nan' is not a finite number"),
        ("0.1 0.2 0.3\t0 1", "3 input values do not make points of 2 coordinates for tsp"),
        ("0.1 0.2 0.3 0.4\t0 2", "target position 2 is outside the 2 input elements"),
        ("0.1 0.2 0.3 0.4\t0 -1", "target position -1 is outside"),
        ("0.1 0.2 0.3 0.4\t0 a", "target value 'a' is not an integer"),
        ("0.1 0.2 0.3 0.4\t", "no target values after the tab"),
        ("\t0", "no input values before the tab"),
    ])
    func malformedLinesNameFileAndLine(line: String, message: String) throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("bad.txt")
            try Data("0.5 0.5 0.25 0.75\t0 1\n\(line)\n".utf8).write(to: url)
            let error = try #require(throws: TaskFileError.self) {
                try TaskFile.read(contentsOf: url, task: .tsp)
            }
            #expect(error.line == 2)
            #expect(error.description.hasPrefix("\(url.path):2: "))
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func integerTasksRejectFractionalTokens() throws {
        let error = try #require(throws: TaskFileError.self) {
            try TaskFile.parse(line: "1 2.5 3\t1 2 3", task: .copy, file: "copy.txt", lineNumber: 7)
        }
        #expect(
            error.description == "copy.txt:7: input value '2.5' of copy is not a token (0, 1, …)")
    }

    @Test func predictionErrorsNameFileAndLine() throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("predictions.txt")
            try Data("0 1\n2 x\n".utf8).write(to: url)
            let error = try #require(throws: TaskFileError.self) {
                try TaskFile.readPredictions(contentsOf: url)
            }
            #expect(error.description == "\(url.path):2: predicted value 'x' is not an integer")
        }
    }

    @Test func missingFilesAreNamed() throws {
        let error = try #require(throws: ReaderError.self) {
            try TaskFile.read(contentsOf: URL(fileURLWithPath: "/nonexistent/tsp.txt"), task: .tsp)
        }
        #expect(error.description == "/nonexistent/tsp.txt: no such file")
    }
}
