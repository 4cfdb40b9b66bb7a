import SeqText
import Testing

/// Deterministic, varied lengths: example i has source 1 + (i·7919 mod 60), target 1 + (i·104729 mod 45).
private func lengths(_ count: Int) -> [ExampleLength] {
    (0..<count).map { ExampleLength(source: 1 + ($0 * 7919) % 60, target: 1 + ($0 * 104_729) % 45) }
}

@Suite("Batching")
struct BatchingTests {
    @Test("the token budget and sentence cap hold, and every kept example appears exactly once")
    func budget() {
        let examples = lengths(1000)
        for options in [
            BatchingOptions(maxTokens: 256),
            BatchingOptions(maxTokens: 500, maxSentences: 7),
            BatchingOptions(maxTokens: 60),
        ] {
            let schedule = BatchSchedule(lengths: examples, options: options)
            #expect(schedule.skippedIndices.isEmpty)
            var seen: [Int] = []
            for batch in schedule.batches {
                #expect(batch.paddedTokenCount <= options.maxTokens)
                #expect(batch.indices.count <= options.maxSentences ?? .max)
                #expect(batch.maxSourceLength == batch.indices.map { examples[$0].source }.max())
                #expect(batch.maxTargetLength == batch.indices.map { examples[$0].target }.max())
                seen += batch.indices
            }
            #expect(seen.sorted() == Array(0..<1000))
            for epoch in 0..<3 {
                #expect(
                    schedule.batches(forEpoch: epoch).flatMap(\.indices).sorted() == Array(0..<1000)
                )
            }
            // Greedy packing: a batch closed early would have broken a limit with the next example.
            for (batch, next) in zip(schedule.batches, schedule.batches.dropFirst()) {
                let first = examples[next.indices[0]]
                let longest = max(
                    batch.maxSourceLength, batch.maxTargetLength, first.source, first.target)
                #expect(
                    (batch.indices.count + 1) * longest > options.maxTokens
                        || batch.indices.count == options.maxSentences)
            }
        }
    }

    @Test("sorted by length: similar lengths share a batch")
    func bucketing() {
        let examples = [
            ExampleLength(source: 10, target: 3), ExampleLength(source: 2, target: 2),
            ExampleLength(source: 3, target: 10), ExampleLength(source: 2, target: 1),
            ExampleLength(source: 9, target: 9),
        ]
        let schedule = BatchSchedule(
            lengths: examples, options: BatchingOptions(maxTokens: 20, shuffle: false))
        // Order by (longer side, source, target, index): 3, 1, 4, 2, 0.
        #expect(schedule.batches.map(\.indices) == [[3, 1], [4, 2], [0]])
        #expect(schedule.batches.map(\.paddedTokenCount) == [4, 20, 10])
        #expect(schedule.batches(forEpoch: 5) == schedule.batches)
    }

    @Test("empty, too long and over-budget examples are skipped")
    func filtering() {
        let examples = [
            ExampleLength(source: 0, target: 3), ExampleLength(source: 3, target: 0),
            ExampleLength(source: 5, target: 5), ExampleLength(source: 51, target: 5),
            ExampleLength(source: 5, target: 41), ExampleLength(source: 50, target: 40),
            ExampleLength(source: 1, target: 1),
        ]
        let options = BatchingOptions(maxTokens: 45, maxSourceLength: 50, maxTargetLength: 40)
        let schedule = BatchSchedule(lengths: examples, options: options)
        #expect(schedule.skippedIndices == [0, 1, 3, 4, 5])
        #expect(schedule.batches.flatMap(\.indices).sorted() == [2, 6])
    }

    @Test("the same seed gives the same batches; epochs and seeds differ")
    func seeding() {
        let examples = lengths(2000)
        let options = BatchingOptions(maxTokens: 300, seed: 42)
        let first = BatchSchedule(lengths: examples, options: options)
        let second = BatchSchedule(lengths: examples, options: options)
        #expect(first.batches.count > 50)
        for epoch in [0, 1, 7] {
            #expect(first.batches(forEpoch: epoch) == second.batches(forEpoch: epoch))
            #expect(first.batchOrder(forEpoch: epoch).sorted() == Array(first.batches.indices))
        }
        #expect(first.batchOrder(forEpoch: 0) != first.batchOrder(forEpoch: 1))
        #expect(first.batchOrder(forEpoch: 0) != Array(first.batches.indices))
        var reseeded = options
        reseeded.seed = 43
        #expect(
            BatchSchedule(lengths: examples, options: reseeded).batchOrder(forEpoch: 0)
                != first.batchOrder(forEpoch: 0))
    }

    @Test(
        "the epoch order is pinned: SplitMix64 + Fisher–Yates, stable across platforms and releases"
    )
    func pinnedOrder() {
        let examples = (0..<10).map { ExampleLength(source: $0 + 1, target: 1) }
        let schedule = BatchSchedule(
            lengths: examples, options: BatchingOptions(maxTokens: 10, maxSentences: 1, seed: 2024))
        #expect(schedule.batches.map(\.indices) == (0..<10).map { [$0] })
        #expect(schedule.batchOrder(forEpoch: 0) == pinnedEpoch0)
        #expect(schedule.batchOrder(forEpoch: 1) == pinnedEpoch1)
    }

    @Test("resuming from a position continues exactly where the run left off")
    func resume() {
        let schedule = BatchSchedule(
            lengths: lengths(500), options: BatchingOptions(maxTokens: 400, seed: 9))
        let perEpoch = schedule.batches.count
        #expect(perEpoch > 10)
        // An uninterrupted run over three epochs.
        let full = Array(schedule.makeIterator(endEpoch: 3))
        #expect(full.count == 3 * perEpoch)
        #expect(full.map(\.batch) == (0..<3).flatMap { schedule.batches(forEpoch: $0) })
        #expect(full[perEpoch + 2].position == BatchPosition(epoch: 1, index: 2))

        // Stop after a few batches, save the position, resume with a fresh iterator.
        for stop in [0, 5, perEpoch - 1, perEpoch, perEpoch + 3, 3 * perEpoch - 1] {
            var iterator = schedule.makeIterator(endEpoch: 3)
            for _ in 0..<stop { _ = iterator.next() }
            let saved = iterator.position
            let resumed = Array(schedule.makeIterator(from: saved, endEpoch: 3))
            #expect(resumed.map(\.batch) == full[stop...].map(\.batch), "stopped after \(stop)")
            #expect(
                resumed.map(\.position) == full[stop...].map(\.position), "stopped after \(stop)")
        }
        // A position at the end of an epoch is the start of the next.
        var atEnd = schedule.makeIterator(from: BatchPosition(epoch: 0, index: perEpoch))
        #expect(atEnd.next()?.position == BatchPosition(epoch: 1, index: 0))
    }

    @Test("no batches: the iterator ends at once")
    func empty() {
        let schedule = BatchSchedule(
            lengths: [ExampleLength(source: 0, target: 0)], options: BatchingOptions(maxTokens: 10))
        #expect(schedule.batches.isEmpty)
        var iterator = schedule.makeIterator()
        #expect(iterator.next() == nil)
    }
}

// Computed by an independent Python transcription of SplitMix64, `child`, Lemire's bounded draw
// and Fisher–Yates (seed 2024, 10 batches).
private let pinnedEpoch0 = [5, 7, 9, 6, 0, 1, 8, 2, 3, 4]
private let pinnedEpoch1 = [0, 5, 6, 2, 7, 3, 4, 1, 9, 8]
