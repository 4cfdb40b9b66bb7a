import Foundation
import SeqText
import Testing

/// What each generated task holds, and that generation is reproducible.
@Suite struct TaskGeneratorTests {
    @Test(arguments: TaskName.allCases)
    func sameSeedSameExamplesOtherSeedOthers(task: TaskName) throws {
        let generator = try TaskGenerator(task: task, lengths: 3...13)
        let first = generator.examples(count: 200, seed: 42)
        #expect(first == generator.examples(count: 200, seed: 42))
        #expect(first != generator.examples(count: 200, seed: 43))
        #expect(Array(first.prefix(50)) == generator.examples(count: 50, seed: 42))
    }

    @Test(arguments: TaskName.allCases)
    func lengthsAreDrawnUniformlyFromTheRange(task: TaskName) throws {
        let examples = try TaskGenerator(task: task, lengths: 4...7).examples(count: 800, seed: 1)
        var counts: [Int: Int] = [:]
        for example in examples { counts[task.length(of: example), default: 0] += 1 }
        #expect(counts.keys.sorted() == [4, 5, 6, 7])
        #expect(counts.values.allSatisfy { (150...250).contains($0) }, "\(counts)")
    }

    @Test func copyAndReverseRepeatOrReverseTokensInRange() throws {
        let copies = try TaskGenerator(task: .copy, lengths: 1...8, maxValue: 5)
            .examples(count: 50, seed: 2)
        for example in copies {
            #expect(example.target.map(Float.init) == example.inputs)
            #expect(example.target.allSatisfy { (1...5).contains($0) })
        }
        for example in try TaskGenerator(task: .reverse, lengths: 1...8).examples(
            count: 50, seed: 2)
        {
            #expect(example.target.reversed().map(Float.init) == example.inputs)
        }
    }

    @Test func sortTargetsAscendingPositions() throws {
        for example in try TaskGenerator(task: .sort, lengths: 5...5).examples(count: 100, seed: 3)
        {
            #expect(example.target.sorted() == Array(0..<5))
            #expect(example.inputs.allSatisfy { $0 >= 0 && $0 < 1 })
            let values = example.target.map { example.inputs[$0] }
            #expect(values == example.inputs.sorted())
        }
    }

    @Test func integerSortIsStableWithRepeats() throws {
        let examples = try TaskGenerator(task: .sortIntegers, lengths: 30...30, maxValue: 5)
            .examples(count: 20, seed: 4)
        for example in examples {
            for (a, b) in zip(example.target, example.target.dropFirst()) {
                let (first, second) = (example.inputs[a], example.inputs[b])
                #expect(first < second || (first == second && a < b))
            }
        }
        let line = TaskExample(inputs: [3, 1, 3, 2, 1], target: [1, 4, 3, 0, 2])
        #expect(
            try TaskFile.parse(line: "3 1 3 2 1\t1 4 3 0 2", task: .sortIntegers) == line)
    }

    @Test func successorHintPairsEachTokenWithTheNextInStableOrder() throws {
        // Stable order of 3 1 3 2 1: positions 1, 4, 3, 0, 2 (values 1 1 2 3 3).
        let generator = try TaskGenerator(task: .sortIntegersSuccessor, lengths: 5...5, maxValue: 3)
        for example in generator.examples(count: 30, seed: 9) {
            let tokens = example.inputs.map { Int($0) }
            let order = tokens.indices.sorted {
                tokens[$0] != tokens[$1] ? tokens[$0] < tokens[$1] : $0 < $1
            }
            var expected = [Int](repeating: 0, count: 10)
            for (position, token) in tokens.enumerated() { expected[2 * position] = token }
            for (current, next) in zip(order, order.dropFirst()) {
                expected[2 * current + 1] = tokens[next]
            }
            #expect(example.target == expected)
            #expect(example.target.filter { $0 == 0 }.count == 1)
        }
    }

    @Test func additionDigitsSum() throws {
        for example in try TaskGenerator(task: .addition, lengths: 1...12).examples(
            count: 100, seed: 6)
        {
            let digits = (example.inputs.count - 1) / 2
            #expect(example.inputs[digits] == Float(TaskName.additionSeparator))
            let first = example.inputs[..<digits].reduce(0) { $0 * 10 + Int($1) }
            let second = example.inputs[(digits + 1)...].reduce(0) { $0 * 10 + Int($1) }
            #expect(example.target.count == digits + 1)
            #expect(example.target.reduce(0) { $0 * 10 + $1 } == first + second)
        }
    }

    @Test func geometricTasksAreLabelledByTheSolvers() throws {
        for example in try TaskGenerator(task: .convexHull, lengths: 3...20).examples(
            count: 100, seed: 7)
        {
            #expect(example.target == ConvexHull.vertices(of: example.inputs))
            #expect(example.target.count >= 3)
        }
        let tours = try TaskGenerator(task: .tsp, lengths: 10...14).examples(count: 300, seed: 8)
        for example in tours {
            let count = example.inputs.count / 2
            #expect(example.target.sorted() == Array(0..<count))
            if count <= TravellingSalesman.exactLimit {
                #expect(example.target == TravellingSalesman.optimalTour(of: example.inputs))
            } else {
                #expect(example.target == TravellingSalesman.twoOptTour(of: example.inputs))
            }
        }
    }

    @Test func settingsOutOfRangeAreNamed() {
        #expect(throws: TaskSettingsError("convex-hull needs lengths of at least 3, got 2..5")) {
            try TaskGenerator(task: .convexHull, lengths: 2...5)
        }
        #expect(throws: TaskSettingsError("copy needs lengths of at least 1, got 0..5")) {
            try TaskGenerator(task: .copy, lengths: 0...5)
        }
        #expect(throws: TaskSettingsError("the largest value must be in 1...16777216, got 0")) {
            try TaskGenerator(task: .sortIntegers, lengths: 1...5, maxValue: 0)
        }
    }
}
