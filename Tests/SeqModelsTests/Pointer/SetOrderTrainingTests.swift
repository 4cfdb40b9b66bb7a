import SeqModels
import SeqNN
import SeqTensor
import Testing

/// Order Matters set-output training: random orders during the warm-up, then orders chosen
/// by the model among the target's elements.
@Suite struct SetOrderTrainingTests {
    private let batch = PointerBatch(
        inputs: [[0.9, 0.1, 0.5, 0.3, 0.7], [0.2, 0.8, 0.4]], elementSize: 1)
    private let targets = [[4, 1, 3], [2, 0, 1]]

    private func model() -> PointerNetwork {
        var generator = SeededGenerator(seed: 61)
        return PointerNetwork(
            config: tinyPointerConfig(elementSize: 1, glimpseCount: 1), using: &generator)
    }

    @Test func warmUpOrdersArePermutationsOfTheTargets() {
        let model = model()
        var generator = SeededGenerator(seed: 1)
        let training = SetOrderTraining(warmupSteps: 5)
        var seen = Set<[Int]>()
        for step in 0..<5 {
            let orders = model.trainingOrders(
                of: batch, for: targets, step: step, training: training, using: &generator)
            for (order, target) in zip(orders, targets) {
                #expect(order.sorted() == target.sorted())
            }
            seen.insert(orders[0])
        }
        #expect(seen.count > 1)
    }

    @Test func mostProbableOrdersFollowTheModelsChoices() {
        let model = model()
        var generator = SeededGenerator(seed: 2)
        let orders = model.trainingOrders(
            of: batch, for: targets, step: 10,
            training: SetOrderTraining(warmupSteps: 5, choice: .mostProbable), using: &generator)
        // Replays the order step by step: each element is the most probable remaining one.
        let decoder = PointerSearchDecoder(model: model, batch: batch, constraint: .unconstrained)
        var state = decoder.start(sources: decoder.sources)
        var last = [Int32](repeating: decoder.startID, count: 2)
        for step in 0..<3 {
            let scores = decoder.step(&state, lastTokens: last).scalars
            for row in 0..<2 {
                let remaining = targets[row].filter { !orders[row].prefix(step).contains($0) }
                let best = remaining.max { scores[row * 7 + $0 + 1] < scores[row * 7 + $1 + 1] }
                #expect(orders[row][step] == best)
                last[row] = Int32(orders[row][step] + 1)
            }
        }
    }

    @Test func sampledOrdersAreReproducibleAndVary() {
        let model = model()
        let training = SetOrderTraining(warmupSteps: 0, choice: .sampled)
        var first = SeededGenerator(seed: 3)
        var second = SeededGenerator(seed: 3)
        let a = model.trainingOrders(
            of: batch, for: targets, step: 0, training: training, using: &first)
        let b = model.trainingOrders(
            of: batch, for: targets, step: 0, training: training, using: &second)
        #expect(a == b)
        var seen = Set<[Int]>()
        for _ in 0..<20 {
            let orders = model.trainingOrders(
                of: batch, for: targets, step: 0, training: training, using: &first)
            #expect(orders[1].sorted() == [0, 1, 2])
            seen.insert(orders[1])
        }
        #expect(seen.count > 1)
    }
}
