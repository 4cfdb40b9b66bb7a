import Foundation
import SeqNN
import SeqTensor
import Testing

@testable import SeqTrain

@Suite struct CheckpointAveragingTests {
    @Test func averageIsTheElementwiseMean() throws {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("seq2seq-average-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let values: [[Float]] = [[1, 2, 3], [3, 4, 5], [5, 9, 1]]
        var directories: [URL] = []
        for (index, scalars) in values.enumerated() {
            let directory = root.appendingPathComponent("step-\(index)")
            try Checkpoint(
                weights: ["w": Tensor(scalars)], step: index, generator: SeededGenerator(seed: 1),
                config: Data("{}".utf8), extraFiles: ["tokenizer.model": Data([7])]
            ).write(to: directory)
            directories.append(directory)
        }
        let output = root.appendingPathComponent("averaged")
        try averageCheckpoints(directories, into: output)
        let averaged = try Checkpoint.read(from: output)
        #expect(averaged.weights["w"]?.scalars == [3, 5, 3])
        #expect(averaged.extraFiles == ["tokenizer.model": Data([7])])
        #expect(averaged.optimizerState.isEmpty)
    }

    @Test func mismatchedCheckpointsAreNamed() throws {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("seq2seq-average-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let first = root.appendingPathComponent("a")
        let second = root.appendingPathComponent("b")
        try Checkpoint(
            weights: ["w": Tensor([1, 2])], step: 1, generator: SeededGenerator(seed: 1)
        )
        .write(to: first)
        try Checkpoint(
            weights: ["w": Tensor([1, 2, 3])], step: 2, generator: SeededGenerator(seed: 1)
        )
        .write(to: second)
        #expect {
            try averageCheckpoints([first, second], into: root.appendingPathComponent("out"))
        } throws: { error in
            "\(error)".contains(second.path) && "\(error)".contains("`w` is [3]")
        }
    }
}
