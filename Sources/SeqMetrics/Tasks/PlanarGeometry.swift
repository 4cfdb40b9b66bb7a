/// Polygons and tours over planar points given as flat coordinates `x0 y0 x1 y1 …`, with
/// vertices named by their 0-based positions; arithmetic in `Double` on the `Float` values.
public enum PlanarGeometry {
    /// The area enclosed by the polygon through `vertices` (shoelace formula, absolute value,
    /// so either orientation gives the same area); 0 for fewer than three vertices.
    ///
    /// - Precondition: every vertex is a position of `points`.
    public static func polygonArea(_ vertices: [Int], points: [Float]) -> Double {
        guard vertices.count >= 3, let last = vertices.last else { return 0 }
        var twice = 0.0
        var previous = point(points, last)
        for vertex in vertices {
            let current = point(points, vertex)
            twice += previous.x * current.y - current.x * previous.y
            previous = current
        }
        return abs(twice) / 2
    }

    /// Whether `vertices` spell a simple polygon over `points`: at least three positions, all
    /// inside `0..<points.count / 2` and distinct, no two at the same coordinates, no two
    /// non-adjacent edges touching, and no two adjacent edges folding back over each other
    /// (which also rules out three collinear vertices of a triangle).
    ///
    /// - Complexity: O(k²) for k vertices.
    public static func isSimplePolygon(_ vertices: [Int], points: [Float]) -> Bool {
        let count = vertices.count
        guard count >= 3, hasDistinctPositions(vertices, below: points.count / 2) else {
            return false
        }
        let corners = vertices.map { point(points, $0) }
        for a in 0..<count {
            for b in (a + 1)..<count where corners[a] == corners[b] { return false }
        }
        for a in 0..<count {
            let (p, q, r) = (corners[a], corners[(a + 1) % count], corners[(a + 2) % count])
            // Adjacent edges p→q and q→r fold back when r lies along q→p.
            if cross(q, p, r) == 0 && (p.x - q.x) * (r.x - q.x) + (p.y - q.y) * (r.y - q.y) > 0 {
                return false
            }
            for b in stride(from: a + 2, to: count, by: 1) where !(a == 0 && b == count - 1) {
                if segmentsTouch(corners[a], corners[a + 1], corners[b], corners[(b + 1) % count]) {
                    return false
                }
            }
        }
        return true
    }

    /// Whether `tour` visits every one of `cityCount` cities exactly once (any start, either
    /// direction).
    public static func isTour(_ tour: [Int], cityCount: Int) -> Bool {
        tour.count == cityCount && hasDistinctPositions(tour, below: cityCount)
    }

    /// The length of the closed `tour` over `points`, the return to its first city included;
    /// 0 for an empty tour.
    ///
    /// - Precondition: every city is a position of `points`.
    public static func tourLength(_ tour: [Int], points: [Float]) -> Double {
        guard let first = tour.first, let last = tour.last else { return 0 }
        var total = distance(point(points, last), point(points, first))
        for (a, b) in zip(tour, tour.dropFirst()) {
            total += distance(point(points, a), point(points, b))
        }
        return total
    }

    /// Whether the positions are distinct and all in `0..<count`.
    static func hasDistinctPositions(_ positions: [Int], below count: Int) -> Bool {
        var seen = [Bool](repeating: false, count: count)
        for position in positions {
            guard (0..<count).contains(position), !seen[position] else { return false }
            seen[position] = true
        }
        return true
    }
}

/// A point in `Double`.
private struct Point: Equatable {
    var x: Double
    var y: Double
}

private func point(_ points: [Float], _ index: Int) -> Point {
    precondition(
        index >= 0 && 2 * index + 1 < points.count,
        "PlanarGeometry: position \(index) outside \(points.count / 2) points")
    return Point(x: Double(points[2 * index]), y: Double(points[2 * index + 1]))
}

private func distance(_ a: Point, _ b: Point) -> Double {
    ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
}

/// Twice the signed area of triangle (o, a, b): positive when it turns counter-clockwise.
private func cross(_ o: Point, _ a: Point, _ b: Point) -> Double {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

/// Whether `c` lies within the bounding box of segment a–b (used when the three are collinear).
private func withinBox(_ a: Point, _ b: Point, _ c: Point) -> Bool {
    min(a.x, b.x) <= c.x && c.x <= max(a.x, b.x) && min(a.y, b.y) <= c.y && c.y <= max(a.y, b.y)
}

/// Whether closed segments a–b and c–d share a point.
private func segmentsTouch(_ a: Point, _ b: Point, _ c: Point, _ d: Point) -> Bool {
    let (d1, d2) = (cross(c, d, a), cross(c, d, b))
    let (d3, d4) = (cross(a, b, c), cross(a, b, d))
    if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
        return true
    }
    return (d1 == 0 && withinBox(c, d, a)) || (d2 == 0 && withinBox(c, d, b))
        || (d3 == 0 && withinBox(a, b, c)) || (d4 == 0 && withinBox(a, b, d))
}
