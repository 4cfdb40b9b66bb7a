/// A small, fast, seedable generator (SplitMix64).
///
/// The same seed gives the same stream on every platform and core count. Every function that
/// draws random numbers takes one explicitly; there is no global seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Codable, Equatable {
    /// The whole state: saving it in a checkpoint and restoring it resumes the stream exactly.
    public private(set) var state: UInt64

    /// Creates a generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// Restores a generator from a saved `state`.
    public init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Float` in `[0, 1)` from the top 24 bits; independent of the standard library.
    public mutating func nextUnitFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// An independent stream for child `index` (a layer number, a worker), leaving `self` as is.
    public func child(_ index: UInt64) -> SeededGenerator {
        var mixer = SeededGenerator(seed: state &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15)
        return SeededGenerator(seed: mixer.next())
    }
}
