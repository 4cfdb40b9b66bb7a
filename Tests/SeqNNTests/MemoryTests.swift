import Foundation
import SeqNN
import Testing

@testable import SeqTensor

/// Memory must stay flat in a training loop: `backward()` frees the graph, and nothing
/// retains activations from one step to the next.
@Suite struct MemoryTests {
    @Test func trainingLoopMemoryStaysFlatOver200Steps() async {
        // A child process, so that tests running in parallel do not disturb the counts.
        await #expect(processExitsWith: .success) {
            var generator = SeededGenerator(seed: 11)
            let model = FlatMemoryModel(using: &generator)
            let optimizer = AdamW(model, learningRate: 1e-3)
            let input = Tensor.normal([32, 64], using: &generator)
            let target = Tensor.normal([32, 64], using: &generator)
            var liveBuffers: [Int] = []
            var residentPages: [Int] = []
            for step in 1...200 {
                let loss = ((model(input) - target) * (model(input) - target)).mean()
                loss.backward()
                optimizer.step()
                optimizer.zeroGradients()
                if step == 20 || step == 200 {
                    liveBuffers.append(StoragePool.shared.liveBufferCount)
                    residentPages.append(residentPageCount())
                }
            }
            precondition(
                liveBuffers[0] == liveBuffers[1],
                "live tensor buffers grew from \(liveBuffers[0]) to \(liveBuffers[1])")
            let grownBytes = (residentPages[1] - residentPages[0]) * 4096
            precondition(grownBytes < 4 << 20, "resident memory grew by \(grownBytes) bytes")
        }
    }
}

/// Linear → LayerNorm → GELU → Dropout → Linear, enough ops to leave a leak visible.
private final class FlatMemoryModel: Module {
    let first: Linear
    let norm: LayerNorm
    let dropout: Dropout
    let second: Linear

    init(using generator: inout SeededGenerator) {
        first = Linear(inputSize: 64, outputSize: 128, using: &generator)
        norm = LayerNorm(size: 128)
        dropout = Dropout(probability: 0.1, using: &generator)
        second = Linear(inputSize: 128, outputSize: 64, using: &generator)
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        second(dropout(norm(first(input)).gelu()))
    }
}

/// Resident pages of this process, from `/proc/self/statm` (0 where it does not exist).
private func residentPageCount() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
        return 0
    }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? Int(fields[1]) ?? 0 : 0
}
