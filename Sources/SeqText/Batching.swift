/// The token lengths of one example, as the model will see them (count any start or end token
/// that will be added).
public struct ExampleLength: Sendable, Hashable, Codable {
    /// Source tokens.
    public var source: Int
    /// Target tokens.
    public var target: Int

    /// Creates the lengths of one example.
    public init(source: Int, target: Int) {
        self.source = source
        self.target = target
    }
}

/// How examples are grouped into batches.
public struct BatchingOptions: Sendable, Hashable, Codable {
    /// The most tokens a batch may hold, padding included: its example count times the longest
    /// source or target in it (fairseq's `--max-tokens`).
    public var maxTokens: Int
    /// The most examples a batch may hold, or `nil` for no limit beyond `maxTokens`.
    public var maxSentences: Int?
    /// Examples with a longer source are skipped; `nil` for no limit.
    public var maxSourceLength: Int?
    /// Examples with a longer target are skipped; `nil` for no limit.
    public var maxTargetLength: Int?
    /// Whether each epoch visits the batches in a fresh seeded order (otherwise shortest first).
    public var shuffle: Bool
    /// Seeds the batch order of every epoch.
    public var seed: UInt64

    /// Options with a token budget and the given limits.
    public init(
        maxTokens: Int, maxSentences: Int? = nil, maxSourceLength: Int? = nil,
        maxTargetLength: Int? = nil, shuffle: Bool = true, seed: UInt64 = 0
    ) {
        self.maxTokens = maxTokens
        self.maxSentences = maxSentences
        self.maxSourceLength = maxSourceLength
        self.maxTargetLength = maxTargetLength
        self.shuffle = shuffle
        self.seed = seed
    }
}

/// A group of examples trained on together, named by their indices in the dataset.
public struct Batch: Sendable, Hashable, Codable {
    /// The examples' indices in the dataset, shortest first.
    public let indices: [Int]
    /// The longest source in the batch.
    public let maxSourceLength: Int
    /// The longest target in the batch.
    public let maxTargetLength: Int

    /// Creates a batch.
    public init(indices: [Int], maxSourceLength: Int, maxTargetLength: Int) {
        self.indices = indices
        self.maxSourceLength = maxSourceLength
        self.maxTargetLength = maxTargetLength
    }

    /// The tokens the batch costs with padding: `indices.count × max(maxSourceLength, maxTargetLength)`.
    public var paddedTokenCount: Int { indices.count * max(maxSourceLength, maxTargetLength) }
}

/// Where a run is in its stream of batches: batch `index` (0-based) of epoch `epoch` (0-based).
///
/// Saved in a checkpoint, it lets a resumed run see exactly the batches it would have seen.
public struct BatchPosition: Sendable, Hashable, Codable, Comparable {
    /// The epoch, from 0.
    public var epoch: Int
    /// The batch within the epoch, from 0.
    public var index: Int

    /// Creates a position.
    public init(epoch: Int, index: Int) {
        self.epoch = epoch
        self.index = index
    }

    /// The first batch of the first epoch.
    public static let start = BatchPosition(epoch: 0, index: 0)

    /// Orders by epoch, then index.
    public static func < (lhs: BatchPosition, rhs: BatchPosition) -> Bool {
        (lhs.epoch, lhs.index) < (rhs.epoch, rhs.index)
    }
}

/// The batches of a dataset and the order they are visited in each epoch, fairseq-style.
///
/// Examples with an empty source or target, one longer than the length limits, or one that alone
/// exceeds `maxTokens` are skipped. The rest are sorted by length (the longer of source and
/// target, then source, then target, then index), so similar lengths share a batch, and cut
/// greedily into batches that respect `maxTokens` (padding counted) and `maxSentences`. The
/// batches are fixed; each epoch visits them in an order that depends only on `(seed, epoch)`
/// (a Fisher–Yates shuffle driven by SplitMix64, the stream SeqTensor's
/// `SeededGenerator(seed: seed).child(epoch)` gives), identical on every platform.
public struct BatchSchedule: Sendable {
    /// The options the batches were formed with.
    public let options: BatchingOptions
    /// Every batch, shortest first (the unshuffled order).
    public let batches: [Batch]
    /// The indices of skipped examples, ascending.
    public let skippedIndices: [Int]

    /// Forms batches for examples with `lengths` (example i has `lengths[i]`).
    public init(lengths: [ExampleLength], options: BatchingOptions) {
        precondition(options.maxTokens >= 1, "BatchSchedule: maxTokens \(options.maxTokens) < 1")
        if let maxSentences = options.maxSentences {
            precondition(maxSentences >= 1, "BatchSchedule: maxSentences \(maxSentences) < 1")
        }
        self.options = options
        var kept: [Int] = []
        var skipped: [Int] = []
        for (index, length) in lengths.enumerated() {
            let fits =
                length.source >= 1 && length.target >= 1
                && length.source <= (options.maxSourceLength ?? .max)
                && length.target <= (options.maxTargetLength ?? .max)
                && max(length.source, length.target) <= options.maxTokens
            if fits { kept.append(index) } else { skipped.append(index) }
        }
        kept.sort { first, second in
            let a = lengths[first]
            let b = lengths[second]
            return (max(a.source, a.target), a.source, a.target, first)
                < (max(b.source, b.target), b.source, b.target, second)
        }
        var batches: [Batch] = []
        var current: [Int] = []
        var longestSource = 0
        var longestTarget = 0
        func flush() {
            guard !current.isEmpty else { return }
            batches.append(
                Batch(
                    indices: current, maxSourceLength: longestSource, maxTargetLength: longestTarget
                ))
            current = []
            longestSource = 0
            longestTarget = 0
        }
        for index in kept {
            let length = lengths[index]
            let longest = max(longestSource, longestTarget, length.source, length.target)
            if (current.count + 1) * longest > options.maxTokens
                || current.count == (options.maxSentences ?? .max)
            {
                flush()
            }
            current.append(index)
            longestSource = max(longestSource, length.source)
            longestTarget = max(longestTarget, length.target)
        }
        flush()
        self.batches = batches
        skippedIndices = skipped
    }

    /// The order of `batches` (indices into it) in `epoch`: a pure function of the seed and epoch.
    public func batchOrder(forEpoch epoch: Int) -> [Int] {
        precondition(epoch >= 0, "BatchSchedule.batchOrder: epoch \(epoch) < 0")
        var order = Array(batches.indices)
        if options.shuffle {
            var generator = SplitMix64(seed: options.seed).child(UInt64(epoch))
            generator.shuffle(&order)
        }
        return order
    }

    /// The batches of `epoch` in the order they are visited.
    public func batches(forEpoch epoch: Int) -> [Batch] {
        batchOrder(forEpoch: epoch).map { batches[$0] }
    }

    /// Batches from `position` on, running into the following epochs; ends before epoch
    /// `endEpoch` when one is given (never, otherwise, unless there are no batches).
    public func makeIterator(from position: BatchPosition = .start, endEpoch: Int? = nil)
        -> BatchIterator
    {
        BatchIterator(schedule: self, position: position, endEpoch: endEpoch)
    }
}

/// Walks a `BatchSchedule` epoch after epoch, knowing its position so a run can resume there.
public struct BatchIterator: IteratorProtocol, Sequence, Sendable {
    private let schedule: BatchSchedule
    private let endEpoch: Int?
    private var order: [Int]
    /// The position of the batch `next()` returns next; save it to resume.
    public private(set) var position: BatchPosition

    init(schedule: BatchSchedule, position: BatchPosition, endEpoch: Int?) {
        precondition(
            position.epoch >= 0 && position.index >= 0 && position.index <= schedule.batches.count,
            "BatchIterator: position \(position) is outside epochs of \(schedule.batches.count) batches"
        )
        self.schedule = schedule
        self.endEpoch = endEpoch
        self.position = position
        order = schedule.batchOrder(forEpoch: position.epoch)
    }

    /// The next batch and its position, or `nil` at `endEpoch` (or when there are no batches).
    public mutating func next() -> (position: BatchPosition, batch: Batch)? {
        guard !schedule.batches.isEmpty else { return nil }
        if position.index == schedule.batches.count {
            position = BatchPosition(epoch: position.epoch + 1, index: 0)
            order = schedule.batchOrder(forEpoch: position.epoch)
        }
        if let endEpoch, position.epoch >= endEpoch { return nil }
        let current = position
        position.index += 1
        return (current, schedule.batches[order[current.index]])
    }
}
