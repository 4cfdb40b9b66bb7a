/// The Delaunay triangulation of planar points, as the `delaunay` task labels it.
public enum DelaunayTriangulation {
    /// The Delaunay triangles of `points` (flat `x0 y0 x1 y1 …`), each as its three positions
    /// in increasing order, the triangles ordered by their incentres (x, then y), as in
    /// Pointer Networks; empty when all points are collinear or two coincide (where the sweep
    /// meets the second of them).
    ///
    /// A sweep over the points sorted by (x, y) builds a first triangulation, then Lawson
    /// flips replace every edge whose opposite vertex lies inside the circumcircle of the
    /// other triangle. Predicates run in `Double` on the `Float` coordinates: orientation is
    /// exact for points in [0, 1)², the in-circle test is not, so four points cocircular to
    /// about 1e-12 may be split either way.
    ///
    /// - Complexity: O(n²) for the sweep, then a few O(n) passes of flips in practice.
    public static func triangles(of points: [Float]) -> [[Int]] {
        precondition(
            points.count.isMultiple(of: 2),
            "DelaunayTriangulation.triangles: \(points.count) coordinates are not (x, y) pairs")
        guard var mesh = sweepTriangulation(points) else { return [] }
        mesh.flipToDelaunay()
        return mesh.triangles.map { $0.sorted() }.sorted { a, b in
            let (first, second) = (incentre(a, points), incentre(b, points))
            return first.x != second.x ? first.x < second.x : first.y < second.y
        }
    }
}

/// Triangles stored counter-clockwise, with the triangle on the left of each directed edge.
private struct Mesh {
    let points: [Float]
    var triangles: [[Int]] = []
    /// Directed edge `u * count + v` → the triangle that has it (counter-clockwise).
    var owners: [Int: Int] = [:]

    var count: Int { points.count / 2 }

    mutating func add(_ a: Int, _ b: Int, _ c: Int) {
        set(triangles.count, [a, b, c])
        triangles.append([a, b, c])
    }

    mutating func set(_ index: Int, _ corners: [Int]) {
        if index < triangles.count { triangles[index] = corners }
        for side in 0..<3 { owners[corners[side] * count + corners[(side + 1) % 3]] = index }
    }

    /// Flips edges until every one is locally Delaunay (at most 10 n² flips, a guard against
    /// rounding making two near-cocircular quadrilaterals flip back and forth).
    mutating func flipToDelaunay() {
        var flips = 0
        var changed = true
        while changed && flips < 10 * count * count {
            changed = false
            for index in triangles.indices {
                for side in 0..<3 where flipIfIllegal(index, side) {
                    flips += 1
                    changed = true
                    break
                }
            }
        }
    }

    /// Flips the edge after corner `side` of triangle `index` when the vertex across it lies
    /// inside the triangle's circumcircle; returns whether it did.
    private mutating func flipIfIllegal(_ index: Int, _ side: Int) -> Bool {
        let corners = triangles[index]
        let (u, v, w) = (corners[side], corners[(side + 1) % 3], corners[(side + 2) % 3])
        guard let other = owners[v * count + u] else { return false }  // a hull edge
        guard let z = triangles[other].first(where: { $0 != u && $0 != v }) else { return false }
        guard inCircle(points, u, v, w, z) > 0 else { return false }
        owners[u * count + v] = nil
        owners[v * count + u] = nil
        set(index, [z, v, w])
        set(other, [w, u, z])
        return true
    }
}

/// A first triangulation: points in (x, y) order, each joined to the hull edges it sees.
private func sweepTriangulation(_ points: [Float]) -> Mesh? {
    let count = points.count / 2
    guard count >= 3 else { return nil }
    let order = (0..<count).sorted { a, b in
        let (ax, bx) = (points[2 * a], points[2 * b])
        return ax != bx ? ax < bx : points[2 * a + 1] < points[2 * b + 1]
    }
    // The leading points on one line (sorted along it), fanned to the first point off it.
    guard
        let apex = order.indices.dropFirst(2).first(where: {
            orientation(points, order[0], order[1], order[$0]) != 0
        })
    else { return nil }
    let chain = Array(order[..<apex])
    let tip = order[apex]
    var mesh = Mesh(points: points)
    var hull: [Int]  // counter-clockwise
    if orientation(points, chain[0], chain[1], tip) > 0 {
        for (a, b) in zip(chain, chain.dropFirst()) { mesh.add(a, b, tip) }
        hull = chain + [tip]
    } else {
        for (a, b) in zip(chain, chain.dropFirst()) { mesh.add(b, a, tip) }
        hull = [tip] + chain.reversed()
    }
    for point in order[(apex + 1)...] {
        let visible = hull.indices.map {
            orientation(points, hull[$0], hull[($0 + 1) % hull.count], point) < 0
        }
        guard let firstHidden = visible.firstIndex(of: false), visible.contains(true) else {
            return nil  // a duplicate point, or collinear with the whole hull
        }
        // Walk the visible chain, which is contiguous, from just after a hidden edge.
        var start = (firstHidden + 1) % hull.count
        while !visible[start] { start = (start + 1) % hull.count }
        var end = start
        while visible[end] {
            mesh.add(hull[(end + 1) % hull.count], hull[end], point)
            end = (end + 1) % hull.count
        }
        // Replace the chain's inner vertices by the new point.
        let first = (start + 1) % hull.count
        var kept: [Int] = []
        var position = end
        repeat {
            kept.append(hull[position])
            position = (position + 1) % hull.count
        } while position != first
        hull = kept + [point]
    }
    return mesh
}

/// Positive when `d` lies inside the circumcircle of the counter-clockwise triangle a, b, c.
private func inCircle(_ points: [Float], _ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
    let dx = Double(points[2 * d])
    let dy = Double(points[2 * d + 1])
    func row(_ i: Int) -> (Double, Double, Double) {
        let x = Double(points[2 * i]) - dx
        let y = Double(points[2 * i + 1]) - dy
        return (x, y, x * x + y * y)
    }
    let (ax, ay, aa) = row(a)
    let (bx, by, bb) = row(b)
    let (cx, cy, cc) = row(c)
    return ax * (by * cc - bb * cy) - ay * (bx * cc - bb * cx) + aa * (bx * cy - by * cx)
}

/// The incentre of a triangle: its corners weighted by the lengths of the opposite sides.
private func incentre(_ corners: [Int], _ points: [Float]) -> (x: Double, y: Double) {
    let xs = corners.map { Double(points[2 * $0]) }
    let ys = corners.map { Double(points[2 * $0 + 1]) }
    var weights: [Double] = []
    for corner in 0..<3 {
        let (p, q) = ((corner + 1) % 3, (corner + 2) % 3)
        weights.append(
            ((xs[p] - xs[q]) * (xs[p] - xs[q]) + (ys[p] - ys[q]) * (ys[p] - ys[q])).squareRoot())
    }
    let total = weights.reduce(0, +)
    return (
        zip(weights, xs).map(*).reduce(0, +) / total, zip(weights, ys).map(*).reduce(0, +) / total
    )
}
