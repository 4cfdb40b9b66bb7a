/// The exact convex hull of planar points, as the `convex-hull` task labels it.
public enum ConvexHull {
    /// The hull's vertices as positions into `points`, counter-clockwise, starting from the
    /// lowest position among them (the Pointer Networks convention).
    ///
    /// Andrew's monotone chain over the points sorted by (x, y, position). Points on a hull
    /// edge (collinear with its ends) are not vertices; of coincident points, at most one is.
    /// Orientation tests run in `Double` on the `Float` coordinates, where
    /// the products of coordinate differences are exact for points in [0, 1)². Fewer than
    /// three positions come back when all points are collinear or coincide. `points` holds
    /// the flat coordinates `x0 y0 x1 y1 …`.
    ///
    /// - Complexity: O(n log n) for n points.
    public static func vertices(of points: [Float]) -> [Int] {
        precondition(
            points.count.isMultiple(of: 2),
            "ConvexHull.vertices: \(points.count) coordinates are not (x, y) pairs")
        let count = points.count / 2
        guard count > 2 else { return Array(0..<count) }
        let order = (0..<count).sorted { a, b in
            let (ax, bx) = (points[2 * a], points[2 * b])
            if ax != bx { return ax < bx }
            let (ay, by) = (points[2 * a + 1], points[2 * b + 1])
            return ay != by ? ay < by : a < b
        }
        func turnsLeft(_ o: Int, _ a: Int, _ b: Int) -> Bool {
            orientation(points, o, a, b) > 0
        }
        var hull: [Int] = []
        hull.reserveCapacity(2 * count)
        for index in order {  // lower chain, left to right
            while hull.count >= 2 && !turnsLeft(hull[hull.count - 2], hull[hull.count - 1], index) {
                hull.removeLast()
            }
            hull.append(index)
        }
        let lowerCount = hull.count + 1
        for index in order.reversed().dropFirst() {  // upper chain, right to left
            while hull.count >= lowerCount
                && !turnsLeft(hull[hull.count - 2], hull[hull.count - 1], index)
            {
                hull.removeLast()
            }
            hull.append(index)
        }
        hull.removeLast()  // the first point again
        guard let start = hull.indices.min(by: { hull[$0] < hull[$1] }) else { return hull }
        return Array(hull[start...] + hull[..<start])
    }
}

/// Twice the signed area of triangle (o, a, b): positive when it turns counter-clockwise.
func orientation(_ points: [Float], _ o: Int, _ a: Int, _ b: Int) -> Double {
    let ox = Double(points[2 * o])
    let oy = Double(points[2 * o + 1])
    let ax = Double(points[2 * a]) - ox
    let ay = Double(points[2 * a + 1]) - oy
    let bx = Double(points[2 * b]) - ox
    let by = Double(points[2 * b + 1]) - oy
    return ax * by - ay * bx
}
