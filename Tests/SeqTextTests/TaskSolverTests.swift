import Foundation
import SeqText
import Testing

/// The exact solvers against brute force and against scipy / itertools references.
@Suite struct TaskSolverTests {
    /// `tools/fixtures/make_tasks.py`: scipy.spatial.ConvexHull and brute-force tours.
    struct Reference: Decodable {
        struct Hull: Decodable {
            var points: [Double]
            var hull: [Int]
            var area: Double
        }

        struct Tour: Decodable {
            var points: [Double]
            var tour: [Int]
            var length: Double
        }

        var hulls: [Hull]
        var tours: [Tour]
    }

    @Test func hullsMatchScipy() throws {
        let reference = try FixtureFiles.json(Reference.self, "task_reference.json")
        #expect(reference.hulls.count == 17)
        for (index, expected) in reference.hulls.enumerated() {
            let points = expected.points.map(Float.init)
            let hull = ConvexHull.vertices(of: points)
            #expect(hull == expected.hull, "case \(index)")
            #expect(abs(shoelace(hull, points) - expected.area) <= 1e-9, "case \(index)")
        }
    }

    @Test func optimalToursMatchBruteForceReference() throws {
        let reference = try FixtureFiles.json(Reference.self, "task_reference.json")
        #expect(reference.tours.count == 9)
        for (index, expected) in reference.tours.enumerated() {
            let points = expected.points.map(Float.init)
            let tour = TravellingSalesman.optimalTour(of: points)
            #expect(tour == expected.tour, "case \(index)")
            let length = TravellingSalesman.length(of: tour, points: points)
            #expect(abs(length - expected.length) <= 1e-9, "case \(index)")
            #expect(TravellingSalesman.tour(of: points) == tour)
        }
    }

    @Test func hullMatchesBruteForceOnRandomPoints() {
        var generator = TestGenerator(seed: 11)
        for trial in 0..<300 {
            let count = 3 + trial % 9
            let points = (0..<(2 * count)).map { _ in generator.unitFloat() }
            #expect(ConvexHull.vertices(of: points) == bruteForceHull(points), "trial \(trial)")
        }
    }

    @Test func hullMatchesBruteForceWithCollinearGridPoints() {
        var generator = TestGenerator(seed: 12)
        for trial in 0..<300 {
            // Distinct points of a 4×4 grid: many collinear triples, on edges and inside.
            var cells = Array(0..<16)
            generator.shuffle(&cells)
            let chosen = cells.prefix(3 + trial % 10)
            let points = chosen.flatMap { [Float($0 % 4) / 4, Float($0 / 4) / 4] }
            let hull = ConvexHull.vertices(of: points)
            #expect(hull == bruteForceHull(points), "trial \(trial): \(points)")
        }
    }

    @Test func hullOfCollinearPointsIsItsTwoEnds() {
        #expect(ConvexHull.vertices(of: [0.5, 0.5, 0, 0, 1, 1, 0.25, 0.25]) == [1, 2])
    }

    @Test func heldKarpMatchesAllPermutations() {
        var generator = TestGenerator(seed: 13)
        for count in 1...8 {
            for _ in 0..<(count <= 3 ? 2 : 12) {
                let points = (0..<(2 * count)).map { _ in generator.unitFloat() }
                let tour = TravellingSalesman.optimalTour(of: points)
                let (bestTour, bestLength) = bruteForceTour(points)
                #expect(tour == bestTour, "\(count) cities: \(points)")
                let length = TravellingSalesman.length(of: tour, points: points)
                #expect(abs(length - bestLength) <= 1e-12)
            }
        }
    }

    @Test func twoOptToursAreValidLocalOptimaNearTheOptimum() {
        var generator = TestGenerator(seed: 14)
        var ratios: [Double] = []
        for _ in 0..<20 {
            let points = (0..<24).map { _ in generator.unitFloat() }  // 12 cities
            let tour = TravellingSalesman.twoOptTour(of: points)
            #expect(tour.sorted() == Array(0..<12))
            #expect(tour == TravellingSalesman.canonical(tour))
            #expect(!hasImprovingTwoOptMove(tour, points))
            let optimal = TravellingSalesman.optimalTour(of: points)
            let ratio =
                TravellingSalesman.length(of: tour, points: points)
                / TravellingSalesman.length(of: optimal, points: points)
            #expect(ratio >= 1 - 1e-12 && ratio < 1.3)
            ratios.append(ratio)
        }
        #expect(ratios.reduce(0, +) / Double(ratios.count) < 1.08)
        let large = (0..<200).map { _ in generator.unitFloat() }  // 100 cities: 2-opt
        let tour = TravellingSalesman.tour(of: large)
        #expect(tour.sorted() == Array(0..<100))
        #expect(!hasImprovingTwoOptMove(tour, large))
    }

    @Test func canonicalToursStartAtZeroWithTheSmallerNeighbourSecond() {
        #expect(TravellingSalesman.canonical([3, 1, 0, 2, 4]) == [0, 1, 3, 4, 2])
        #expect(TravellingSalesman.canonical([2, 0, 1]) == [0, 1, 2])
        #expect(TravellingSalesman.canonical([1, 0]) == [0, 1])
    }

    @Test func tourLengthOfTheUnitSquareIsFour() {
        let square: [Float] = [0, 0, 1, 0, 1, 1, 0, 1]
        #expect(TravellingSalesman.length(of: [0, 1, 2, 3], points: square) == 4)
        #expect(TravellingSalesman.optimalTour(of: square) == [0, 1, 2, 3])
    }
}

/// A SplitMix64 of the tests' own, so the tests do not depend on the code under test.
struct TestGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unitFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    mutating func shuffle(_ values: inout [Int]) {
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, Int(next() % UInt64(index + 1)))
        }
    }
}

private func coordinates(_ points: [Float], _ index: Int) -> (x: Double, y: Double) {
    (Double(points[2 * index]), Double(points[2 * index + 1]))
}

private func cross(_ points: [Float], _ o: Int, _ a: Int, _ b: Int) -> Double {
    let (po, pa, pb) = (coordinates(points, o), coordinates(points, a), coordinates(points, b))
    return (pa.x - po.x) * (pb.y - po.y) - (pa.y - po.y) * (pb.x - po.x)
}

/// The hull from its definition: i→j is a counter-clockwise hull edge when every other point
/// is strictly to its left or on the segment between them; followed from the lowest index.
private func bruteForceHull(_ points: [Float]) -> [Int] {
    let count = points.count / 2
    var next: [Int: Int] = [:]
    for i in 0..<count {
        for j in 0..<count where j != i {
            let isEdge = (0..<count).allSatisfy { k in
                if k == i || k == j { return true }
                let turn = cross(points, i, j, k)
                if turn != 0 { return turn > 0 }
                let (pi, pj, pk) = (
                    coordinates(points, i), coordinates(points, j), coordinates(points, k)
                )
                let along = (pk.x - pi.x) * (pj.x - pi.x) + (pk.y - pi.y) * (pj.y - pi.y)
                let squared = (pj.x - pi.x) * (pj.x - pi.x) + (pj.y - pi.y) * (pj.y - pi.y)
                return along > 0 && along < squared
            }
            if isEdge { next[i] = j }
        }
    }
    guard let start = next.keys.min() else { return [] }
    var hull = [start]
    while let following = next[hull[hull.count - 1]], following != start, hull.count <= count {
        hull.append(following)
    }
    return hull
}

private func shoelace(_ polygon: [Int], _ points: [Float]) -> Double {
    var twice = 0.0
    for (position, vertex) in polygon.enumerated() {
        let a = coordinates(points, vertex)
        let b = coordinates(points, polygon[(position + 1) % polygon.count])
        twice += a.x * b.y - b.x * a.y
    }
    return abs(twice) / 2
}

private func closedLength(_ tour: [Int], _ points: [Float]) -> Double {
    var total = 0.0
    for (position, city) in tour.enumerated() {
        let a = coordinates(points, city)
        let b = coordinates(points, tour[(position + 1) % tour.count])
        total += ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }
    return total
}

/// The shortest tour over every ordering of cities 1..<n, canonical; ties to the first found.
private func bruteForceTour(_ points: [Float]) -> ([Int], Double) {
    let count = points.count / 2
    guard count > 3 else { return (Array(0..<count), closedLength(Array(0..<count), points)) }
    var best: ([Int], Double) = ([], .infinity)
    func extend(_ tour: inout [Int], _ used: inout [Bool]) {
        if tour.count == count {
            guard tour[count - 1] > tour[1] else { return }
            let length = closedLength(tour, points)
            if length < best.1 { best = (tour, length) }
            return
        }
        for city in 1..<count where !used[city] {
            used[city] = true
            tour.append(city)
            extend(&tour, &used)
            tour.removeLast()
            used[city] = false
        }
    }
    var tour = [0]
    var used = [true] + [Bool](repeating: false, count: count - 1)
    extend(&tour, &used)
    return best
}

private func hasImprovingTwoOptMove(_ tour: [Int], _ points: [Float]) -> Bool {
    let base = closedLength(tour, points)
    for i in 0..<(tour.count - 1) {
        for j in (i + 2)..<tour.count {
            var changed = tour
            changed[(i + 1)...j].reverse()
            if closedLength(changed, points) < base - 1e-9 { return true }
        }
    }
    return false
}
