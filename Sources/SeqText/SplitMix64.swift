/// SplitMix64, the same algorithm and seeding as SeqTensor's `SeededGenerator` (SeqText does not
/// depend on SeqTensor), so the same seed gives the same stream on every platform.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent stream for child `index`, as `SeededGenerator.child(_:)` derives it.
    func child(_ index: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: state &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15)
        return SplitMix64(seed: mixer.next())
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject; no modulo bias), fixed
    /// here rather than borrowed from the standard library, whose algorithm may change.
    mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "SplitMix64.next(below:): bound \(bound) must be positive")
        let limit = UInt64(bound)
        var product = next().multipliedFullWidth(by: limit)
        if product.low < limit {
            let threshold = (0 &- limit) % limit
            while product.low < threshold { product = next().multipliedFullWidth(by: limit) }
        }
        return Int(product.high)
    }

    /// Shuffles `elements` in place with Fisher–Yates, drawing through `next(below:)`.
    mutating func shuffle<Element>(_ elements: inout [Element]) {
        var index = elements.count - 1
        while index > 0 {
            elements.swapAt(index, next(below: index + 1))
            index -= 1
        }
    }
}
