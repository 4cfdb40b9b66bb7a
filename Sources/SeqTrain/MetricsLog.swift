import Foundation

/// The JSON-lines log of every metric a training run reports, one object per line.
///
/// Each line has at least `"step"` and `"event"` (`"train"`, `"eval"`, `"checkpoint"`, …).
/// Lines are flushed as they are written. On resume the log is cut back to the resumed step,
/// so a run killed after its last checkpoint leaves neither a gap nor a duplicate step.
public final class MetricsLog {
    /// The log file.
    public let url: URL
    private let handle: FileHandle

    /// Opens the log at `url` for appending, keeping only lines whose step is at most
    /// `resumedStep` (all lines are dropped when starting fresh with `resumedStep` 0).
    ///
    /// - Throws: `TrainingError` naming the file if it cannot be read or written.
    public init(url: URL, resumedStep: Int) throws {
        self.url = url
        let manager = FileManager.default
        var kept = Data()
        if resumedStep > 0, manager.fileExists(atPath: url.path) {
            let existing: Data
            do {
                existing = try Data(contentsOf: url)
            } catch {
                throw TrainingError(file: url.path, detail: "cannot read the log (\(error))")
            }
            for line in existing.split(separator: UInt8(ascii: "\n")) {
                guard
                    let object = try? JSONSerialization.jsonObject(with: Data(line))
                        as? [String: Any],
                    let step = object["step"] as? Int, step <= resumedStep
                else { continue }  // a torn last line or a step past the checkpoint
                kept.append(Data(line) + [UInt8(ascii: "\n")])
            }
        }
        do {
            try manager.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try kept.write(to: url, options: .atomic)
            handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
        } catch {
            throw TrainingError(file: url.path, detail: "cannot write the log (\(error))")
        }
    }

    deinit { try? handle.close() }

    /// Appends one record: `step`, `event`, then `fields` (numbers, strings, booleans; a
    /// non-finite number is written as a string).
    public func record(step: Int, event: String, _ fields: [String: Any] = [:]) {
        // JSON has no NaN or infinity; a diverged loss is logged as the string "nan" or "inf".
        var object = fields.mapValues { value -> Any in
            switch value {
            case let number as Double where !number.isFinite: return "\(number)"
            case let number as Float where !number.isFinite: return "\(number)"
            default: return value
            }
        }
        object["step"] = step
        object["event"] = event
        precondition(
            JSONSerialization.isValidJSONObject(object),
            "MetricsLog.record: fields of `\(event)` are not numbers, strings or booleans")
        // Cannot fail: validity is checked above.
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        handle.write(data + [UInt8(ascii: "\n")])
    }
}
