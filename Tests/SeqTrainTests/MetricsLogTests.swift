import Foundation
import Testing

@testable import SeqTrain

@Suite struct MetricsLogTests {
    @Test func resumingCutsTheLogBackToTheCheckpoint() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("seq2seq-log-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            let log = try MetricsLog(url: url, resumedStep: 0)
            for step in [10, 20, 30] { log.record(step: step, event: "train", ["loss": 1.5]) }
        }
        // A torn last line, as a kill -9 in the middle of a write leaves it.
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        handle.write(Data("{\"step\": 4".utf8))
        try handle.close()

        let resumed = try MetricsLog(url: url, resumedStep: 20)
        resumed.record(step: 30, event: "train", ["loss": 1.0])
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let steps = try lines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])[
                "step"] as? Int
        }
        #expect(steps == [10, 20, 30])
        #expect(lines.last?.contains("\"loss\":1") == true)
    }

    @Test func nonFiniteNumbersAreLoggedNotDropped() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("seq2seq-log-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        let log = try MetricsLog(url: url, resumedStep: 0)
        log.record(step: 1, event: "train", ["loss": Double.nan, "norm": Float.infinity])
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == "{\"event\":\"train\",\"loss\":\"nan\",\"norm\":\"inf\",\"step\":1}\n")
    }

    @Test func startingFreshEmptiesTheLog() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("seq2seq-log-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("{\"step\":5,\"event\":\"train\"}\n".utf8).write(to: url)
        _ = try MetricsLog(url: url, resumedStep: 0)
        #expect(try Data(contentsOf: url).isEmpty)
    }
}
