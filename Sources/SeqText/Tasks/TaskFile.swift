import Foundation

/// Reads and writes task examples, one per line, and prediction files.
///
/// An example line is the input values separated by single spaces (points as
/// `x1 y1 x2 y2 …`), a tab, then the target values separated by single spaces: 0-based input
/// positions or output tokens (`TaskName.targetKind`). Floats are written in their shortest
/// form that reads back to the same `Float`; integer inputs without a decimal point. A
/// predictions file holds one line per example with the predicted positions or tokens
/// separated by spaces; an empty line is an empty prediction. Files may be gzip-compressed
/// (see `LineReader`).
public enum TaskFile {
    /// The line for `example` (no line ending).
    public static func line(for example: TaskExample, task: TaskName) -> String {
        var text = ""
        text.reserveCapacity(example.inputs.count * 11 + example.target.count * 3)
        for (position, value) in example.inputs.enumerated() {
            if position > 0 { text += " " }
            if task.hasIntegerInputs, let integer = Int(exactly: value) {
                text += String(integer)
            } else {
                text += value.description
            }
        }
        text += "\t"
        for (position, value) in example.target.enumerated() {
            if position > 0 { text += " " }
            text += String(value)
        }
        return text
    }

    /// Writes `examples` to `url`, one line each, atomically (a temporary file, then a rename).
    ///
    /// - Throws: `TaskFileError` naming the file when it cannot be written.
    public static func write(_ examples: [TaskExample], task: TaskName, to url: URL) throws {
        var text = ""
        for example in examples {
            text += line(for: example, task: task)
            text += "\n"
        }
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw TaskFileError(
                file: url.relativePath, line: nil,
                detail: "cannot be written (\(error.localizedDescription))")
        }
    }

    /// The example on line `lineNumber` of `file` (both for messages only).
    ///
    /// - Throws: `TaskFileError` naming `file:lineNumber` when the line is not an example of
    ///   `task`: no tab, a value that is not a number, a count of input values that is not a
    ///   multiple of the element size, a fractional or negative integer input, a target
    ///   position outside the input, or an empty side.
    public static func parse(
        line: String, task: TaskName, file: String = "<input>", lineNumber: Int = 1
    ) throws -> TaskExample {
        func failure(_ detail: String) -> TaskFileError {
            TaskFileError(file: file, line: lineNumber, detail: detail)
        }
        let sides = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard sides.count == 2 else {
            throw failure(
                "expected input values, a tab and the target; found \(sides.count - 1) tabs")
        }
        var inputs: [Float] = []
        for field in sides[0].split(separator: " ") {
            guard let value = Float(field), value.isFinite else {
                throw failure("input value '\(field)' is not a finite number")
            }
            if task.hasIntegerInputs, !(value >= 0 && value == value.rounded()) {
                throw failure("input value '\(field)' of \(task.rawValue) is not a token (0, 1, …)")
            }
            inputs.append(value)
        }
        guard !inputs.isEmpty else { throw failure("no input values before the tab") }
        guard inputs.count.isMultiple(of: task.elementSize) else {
            throw failure(
                "\(inputs.count) input values do not make points of \(task.elementSize) "
                    + "coordinates for \(task.rawValue)")
        }
        let target = try parseIntegers(sides[1], what: "target value", failure: failure)
        guard !target.isEmpty else { throw failure("no target values after the tab") }
        let count = inputs.count / task.elementSize
        if task.targetKind == .indices, let bad = target.first(where: { !(0..<count).contains($0) })
        {
            throw failure("target position \(bad) is outside the \(count) input elements (0-based)")
        }
        return TaskExample(inputs: inputs, target: target)
    }

    /// Every example of `url`, in file order.
    ///
    /// - Throws: `ReaderError` when the file is missing or unreadable, `TaskFileError` naming
    ///   the file and line of the first malformed line (see `parse(line:task:file:lineNumber:)`).
    public static func read(contentsOf url: URL, task: TaskName) throws -> [TaskExample] {
        let reader = try LineReader(contentsOf: url)
        var examples: [TaskExample] = []
        while let line = try reader.nextLine() {
            examples.append(
                try parse(line: line, task: task, file: reader.file, lineNumber: reader.lineNumber))
        }
        return examples
    }

    /// Every line of a predictions file as integers (positions or tokens); an empty line is an
    /// empty prediction.
    ///
    /// - Throws: `ReaderError` when the file is missing or unreadable, `TaskFileError` naming
    ///   the file and line of a value that is not an integer.
    public static func readPredictions(contentsOf url: URL) throws -> [[Int]] {
        let reader = try LineReader(contentsOf: url)
        var predictions: [[Int]] = []
        while let line = try reader.nextLine() {
            predictions.append(
                try parseIntegers(line[...], what: "predicted value") {
                    TaskFileError(file: reader.file, line: reader.lineNumber, detail: $0)
                })
        }
        return predictions
    }
}

/// The space-separated integers of `text`; the first that is not one throws `failure(detail)`.
private func parseIntegers(
    _ text: Substring, what: String, failure: (String) -> TaskFileError
) throws -> [Int] {
    var values: [Int] = []
    for field in text.split(separator: " ") {
        guard let value = Int(field) else {
            throw failure("\(what) '\(field)' is not an integer")
        }
        values.append(value)
    }
    return values
}
