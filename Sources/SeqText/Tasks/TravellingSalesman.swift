import Foundation

/// Tours of the planar travelling salesman problem, as the `tsp` task labels them.
///
/// A tour lists every city once, as positions into the flat coordinates `x0 y0 x1 y1 …`, and
/// returns from the last city to the first. Tours come back canonical: starting at city 0,
/// the second city being the smaller of city 0's two neighbours (see `canonical(_:)`).
/// Distances are Euclidean, in `Double` on the `Float` coordinates.
public enum TravellingSalesman {
    /// The largest number of cities that `tour(of:)` solves exactly (Held–Karp).
    public static let exactLimit = 12

    /// An optimal tour for up to `exactLimit` cities, else a 2-opt tour (`twoOptTour(of:)`).
    public static func tour(of points: [Float]) -> [Int] {
        points.count / 2 <= exactLimit ? optimalTour(of: points) : twoOptTour(of: points)
    }

    /// An optimal tour by Held–Karp dynamic programming over subsets, O(2ⁿ n²) time and
    /// O(2ⁿ n) memory; of equally short tours, the first one the search meets.
    ///
    /// - Precondition: at most `exactLimit` + 8 cities (the tables grow as 2ⁿ).
    public static func optimalTour(of points: [Float]) -> [Int] {
        var solver = HeldKarpSolver()
        return solver.tour(of: points)
    }

    /// A tour from nearest-neighbour construction (from city 0, ties to the smaller position)
    /// improved by 2-opt moves (first improvement) until none shortens it.
    ///
    /// - Complexity: O(n²) per pass over the moves.
    public static func twoOptTour(of points: [Float]) -> [Int] {
        let count = cityCount(points, "twoOptTour")
        guard count > 3 else { return Array(0..<count) }
        let distances = distanceMatrix(points)
        var tour = nearestNeighbourTour(distances, count: count)
        var improved = true
        while improved {
            improved = false
            for i in 0..<(count - 2) {
                for j in (i + 2)..<count where !(i == 0 && j == count - 1) {
                    let (a, b) = (tour[i], tour[i + 1])
                    let (c, d) = (tour[j], tour[(j + 1) % count])
                    let change =
                        distances[a * count + c] + distances[b * count + d]
                        - distances[a * count + b] - distances[c * count + d]
                    if change < -1e-12 {
                        tour[(i + 1)...j].reverse()
                        improved = true
                    }
                }
            }
        }
        return canonical(tour)
    }

    /// `tour` rotated to start at city 0 and, when its last city is smaller than its second,
    /// reversed after the first, so that each cycle has one spelling.
    ///
    /// - Precondition: `tour` contains 0.
    public static func canonical(_ tour: [Int]) -> [Int] {
        guard let start = tour.firstIndex(of: 0) else {
            preconditionFailure("TravellingSalesman.canonical: tour \(tour) has no city 0")
        }
        var rotated = Array(tour[start...] + tour[..<start])
        if rotated.count > 2, let last = rotated.last, last < rotated[1] {
            rotated[1...].reverse()
        }
        return rotated
    }

    /// The length of the closed `tour` over `points`, the return to its first city included.
    public static func length(of tour: [Int], points: [Float]) -> Double {
        guard let first = tour.first, let last = tour.last else { return 0 }
        var total = distance(points, last, first)
        for (a, b) in zip(tour, tour.dropFirst()) { total += distance(points, a, b) }
        return total
    }
}

/// The Held–Karp tables, kept between calls so a worker labelling many instances allocates
/// them once.
struct HeldKarpSolver {
    private var costs: [Double] = []
    private var parents: [UInt8] = []
    private var distances: [Double] = []

    /// An optimal canonical tour of `points` (see `TravellingSalesman.optimalTour(of:)`).
    mutating func tour(of points: [Float]) -> [Int] {
        let count = cityCount(points, "optimalTour")
        precondition(
            count <= TravellingSalesman.exactLimit + 8,
            "TravellingSalesman.optimalTour: \(count) cities is too many for Held–Karp")
        guard count > 3 else { return Array(0..<count) }
        distances = distanceMatrix(points)
        // Subsets of cities 1..<count (bit c - 1 for city c); path from 0 through the subset,
        // ending at its member `end`: costs[subset * others + end].
        let others = count - 1
        let size = (1 << others) * others
        if costs.count < size {
            costs = [Double](repeating: 0, count: size)
            parents = [UInt8](repeating: 0, count: size)
        }
        let last = costs.withUnsafeMutableBufferPointer { costs in
            parents.withUnsafeMutableBufferPointer { parents in
                distances.withUnsafeBufferPointer { distances in
                    fillHeldKarpTables(
                        costs.baseAddress, parents.baseAddress, distances.baseAddress,
                        count: count)
                }
            }
        }
        var path: [Int] = []
        var subset = (1 << others) - 1
        var end = last
        while subset != 0 {
            path.append(end + 1)
            let previous = Int(parents[subset * others + end])
            subset &= ~(1 << end)
            end = previous
        }
        return TravellingSalesman.canonical([0] + path.reversed())
    }
}

/// Fills the Held–Karp tables for `count` cities and returns the member that ends the best tour.
private func fillHeldKarpTables(
    _ costs: UnsafeMutablePointer<Double>?, _ parents: UnsafeMutablePointer<UInt8>?,
    _ distances: UnsafePointer<Double>?, count: Int
) -> Int {
    guard let costs, let parents, let distances else { return 0 }
    let others = count - 1
    let full = (1 << others) - 1
    for subset in 1...full {
        var members = subset
        while members != 0 {
            let end = members.trailingZeroBitCount
            members &= members - 1
            let without = subset & ~(1 << end)
            let slot = subset * others + end
            guard without != 0 else {
                costs[slot] = distances[end + 1]  // from city 0
                continue
            }
            var best = Double.infinity
            var bestPrevious = 0
            var previousMembers = without
            let row = distances + (end + 1) * count + 1
            while previousMembers != 0 {
                let previous = previousMembers.trailingZeroBitCount
                previousMembers &= previousMembers - 1
                let cost = costs[without * others + previous] + row[previous]
                if cost < best {
                    best = cost
                    bestPrevious = previous
                }
            }
            costs[slot] = best
            parents[slot] = UInt8(bestPrevious)
        }
    }
    var best = Double.infinity
    var bestEnd = 0
    for end in 0..<others {
        let cost = costs[full * others + end] + distances[end + 1]
        if cost < best {
            best = cost
            bestEnd = end
        }
    }
    return bestEnd
}

/// The number of cities in flat coordinates, trapping on an odd count.
private func cityCount(_ points: [Float], _ function: String) -> Int {
    precondition(
        points.count.isMultiple(of: 2),
        "TravellingSalesman.\(function): \(points.count) coordinates are not (x, y) pairs")
    return points.count / 2
}

/// The Euclidean distance between cities `a` and `b`, in `Double`.
private func distance(_ points: [Float], _ a: Int, _ b: Int) -> Double {
    let dx = Double(points[2 * a]) - Double(points[2 * b])
    let dy = Double(points[2 * a + 1]) - Double(points[2 * b + 1])
    return (dx * dx + dy * dy).squareRoot()
}

/// All pairwise distances, row-major `[n, n]`.
private func distanceMatrix(_ points: [Float]) -> [Double] {
    let count = points.count / 2
    var matrix = [Double](repeating: 0, count: count * count)
    for a in 0..<count {
        for b in 0..<count where b != a { matrix[a * count + b] = distance(points, a, b) }
    }
    return matrix
}

/// The nearest-neighbour tour from city 0, ties going to the smaller position.
private func nearestNeighbourTour(_ distances: [Double], count: Int) -> [Int] {
    var visited = [Bool](repeating: false, count: count)
    var tour = [0]
    visited[0] = true
    while tour.count < count {
        let current = tour[tour.count - 1]
        var next = -1
        for city in 0..<count where !visited[city] {
            if next < 0 || distances[current * count + city] < distances[current * count + next] {
                next = city
            }
        }
        visited[next] = true
        tour.append(next)
    }
    return tour
}
