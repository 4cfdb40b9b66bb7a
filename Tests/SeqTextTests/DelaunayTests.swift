import Foundation
import SeqText
import Testing

/// The Delaunay solver against scipy and against the empty-circumcircle definition.
@Suite struct DelaunayTests {
    /// The triangulations of `tools/fixtures/make_tasks.py` (scipy.spatial.Delaunay).
    struct Reference: Decodable {
        struct Case: Decodable {
            var points: [Double]
            var triangles: [[Int]]
        }

        var triangulations: [Case]
    }

    @Test func triangulationsMatchScipy() throws {
        let reference = try FixtureFiles.json(Reference.self, "task_reference.json")
        #expect(reference.triangulations.count == 12)
        for (index, expected) in reference.triangulations.enumerated() {
            let points = expected.points.map(Float.init)
            #expect(
                DelaunayTriangulation.triangles(of: points) == expected.triangles, "case \(index)")
        }
    }

    @Test func triangulationsMatchTheEmptyCircleDefinition() {
        var generator = TestGenerator(seed: 21)
        for trial in 0..<200 {
            let count = 3 + trial % 13
            let points = (0..<(2 * count)).map { _ in generator.unitFloat() }
            let triangles = DelaunayTriangulation.triangles(of: points)
            #expect(Set(triangles) == bruteForceDelaunay(points), "trial \(trial): \(points)")
            #expect(triangles.allSatisfy { $0 == $0.sorted() })
        }
    }

    @Test func collinearLeadingPointsAreFannedAndDegenerateInputsGiveNothing() {
        // Three points on the line y = 0 before the apex (0.5, 1): two triangles.
        let fan: [Float] = [0, 0, 0.5, 0, 1, 0, 0.5, 1]
        #expect(Set(DelaunayTriangulation.triangles(of: fan)) == [[0, 1, 3], [1, 2, 3]])
        #expect(DelaunayTriangulation.triangles(of: [0, 0, 0.5, 0.5, 1, 1]).isEmpty)
        #expect(DelaunayTriangulation.triangles(of: [0, 0, 1, 0, 1, 0, 0, 1]).isEmpty)
    }

    @Test func generatedTargetsAreFlattenedTriangles() throws {
        let examples = try TaskGenerator(task: .delaunay, lengths: 3...12).examples(
            count: 50, seed: 3)
        for example in examples {
            let triangles = DelaunayTriangulation.triangles(of: example.inputs)
            #expect(example.target == triangles.flatMap { $0 })
            // Euler: 2n - 2 - h triangles for n points, h of them on the hull.
            let hull = ConvexHull.vertices(of: example.inputs).count
            #expect(triangles.count == example.inputs.count - 2 - hull)
        }
    }
}

/// Every triangle of three non-collinear points whose circumcircle has no point strictly
/// inside (the definition, for points in general position), as sorted triples.
private func bruteForceDelaunay(_ points: [Float]) -> Set<[Int]> {
    let count = points.count / 2
    let xy = (0..<count).map { (Double(points[2 * $0]), Double(points[2 * $0 + 1])) }
    var found: Set<[Int]> = []
    for i in 0..<count {
        for j in (i + 1)..<count {
            for k in (j + 1)..<count {
                let (a, b, c) = (xy[i], xy[j], xy[k])
                let turn = (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
                guard turn != 0 else { continue }
                // Circumcentre by the perpendicular-bisector formula.
                let d = 2 * turn
                let (bx, by, cx, cy) = (b.0 - a.0, b.1 - a.1, c.0 - a.0, c.1 - a.1)
                let ux = (cy * (bx * bx + by * by) - by * (cx * cx + cy * cy)) / d
                let uy = (bx * (cx * cx + cy * cy) - cx * (bx * bx + by * by)) / d
                let radius = ux * ux + uy * uy
                let empty = (0..<count).allSatisfy { m in
                    let (x, y) = (xy[m].0 - a.0 - ux, xy[m].1 - a.1 - uy)
                    return [i, j, k].contains(m) || x * x + y * y >= radius * (1 - 1e-12)
                }
                if empty { found.insert([i, j, k]) }
            }
        }
    }
    return found
}
