/// Which outputs a pointer model may produce: the choices masked at every step.
///
/// Vinyals and others (2015) constrain beam search for TSP to valid tours (cities already
/// visited are masked, the end only once every city is in); the same masks serve sorting and
/// convex hulls (no position twice).
public enum PointerConstraint: String, Codable, Sendable, CaseIterable {
    /// Every position and the end are allowed at every step (`"none"` in config files).
    case unconstrained = "none"
    /// A position already chosen is masked; the end is allowed at any step.
    case noRepeats
    /// Every position exactly once, then the end: chosen positions are masked, and the end is
    /// masked until all `n` positions are chosen (TSP tours, sorting).
    case permutation

    /// Whether `positions` (0-based input positions of an input of `length` elements) is an
    /// output this constraint allows.
    public func allows(_ positions: [Int], length: Int) -> Bool {
        guard positions.allSatisfy({ $0 >= 0 && $0 < length }) else { return false }
        switch self {
        case .unconstrained: return true
        case .noRepeats: return Set(positions).count == positions.count
        case .permutation: return positions.sorted() == Array(0..<length)
        }
    }
}

extension PointerConstraint {
    /// Marks with `1` the slots of one row that this constraint blocks, in
    /// `blocked[offset ..< offset + chosen.count]`.
    ///
    /// - Parameters:
    ///   - chosen: One flag per slot (slot 0 the end, slot `j + 1` position `j`): whether the
    ///     row has chosen it.
    ///   - count: The number of positions the row has chosen.
    ///   - length: The row's number of input elements `n`.
    ///   - blocked: The mask being filled; entries not blocked are left as they are.
    ///   - offset: Where the row's slots start in `blocked`.
    func markBlockedSlots(
        chosen: [Bool], count: Int, length: Int, into blocked: inout [Float], offset: Int
    ) {
        guard self != .unconstrained else { return }
        for slot in 1..<chosen.count where chosen[slot] { blocked[offset + slot] = 1 }
        if self == .permutation && count < length { blocked[offset] = 1 }
    }
}
