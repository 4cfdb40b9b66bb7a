/// The metrics of one task's predictions against its references.
///
/// Every task gets exact-sequence accuracy, token accuracy (`TokenAccuracy`) and accuracy by
/// length; tasks whose outputs are input positions add what their kind of output allows (see
/// the builders). Rates are fractions in 0…1. A metric that needs valid predictions is `nil`
/// when there are none.
public struct TaskScore: Sendable, Equatable, Encodable {
    /// The number of examples scored.
    public var count: Int
    /// The fraction of predictions equal to their reference.
    public var exactAccuracy: Double
    /// Position-wise accuracy; missing and extra outputs count as wrong.
    public var tokenAccuracy: Double
    /// The fraction of predictions that are well formed: a permutation of the input positions
    /// (sorting, TSP), or a simple polygon over distinct input points (convex hull).
    public var validRate: Double?
    /// Sorting: the fraction of predictions that are permutations putting the values in
    /// ascending order (equal values in any order, so ties count as sorted).
    public var sortedRate: Double?
    /// Convex hull: the mean, over valid predictions, of predicted area over hull area.
    ///
    /// Examples whose reference encloses no area are skipped. The predicted vertices are input points, so a simple predicted polygon lies within
    /// the hull and this is the share of the hull it covers.
    public var areaCoverage: Double?
    /// Delaunay: the mean, over examples, of the share of reference triangles that the
    /// prediction contains (its positions read three at a time, each triple in any order).
    public var triangleCoverage: Double?
    /// TSP: the mean length of the valid predicted tours (closed, any start or direction).
    public var meanTourLength: Double?
    /// TSP: the mean length of the reference tours of the same examples.
    public var meanReferenceTourLength: Double?
    /// TSP: `meanTourLength / meanReferenceTourLength` (1 is as short as the references).
    public var tourLengthRatio: Double?
    /// Exact-sequence accuracy by example length, shortest first.
    public var byLength: [LengthAccuracy]

    enum CodingKeys: String, CodingKey {
        case count
        case exactAccuracy = "exact_accuracy"
        case tokenAccuracy = "token_accuracy"
        case validRate = "valid_rate"
        case sortedRate = "sorted_rate"
        case areaCoverage = "area_coverage"
        case triangleCoverage = "triangle_coverage"
        case meanTourLength = "mean_tour_length"
        case meanReferenceTourLength = "mean_reference_tour_length"
        case tourLengthRatio = "tour_length_ratio"
        case byLength = "by_length"
    }

    /// Exact, token and by-length accuracy of any integer outputs (copy, reverse, addition,
    /// the successor hint).
    ///
    /// - Precondition: the three arrays have the same count.
    public static func sequences(predictions: [[Int]], targets: [[Int]], lengths: [Int])
        -> TaskScore
    {
        TaskScore(
            count: predictions.count,
            exactAccuracy: SequenceAccuracy.exactRate(predictions: predictions, targets: targets),
            tokenAccuracy: TokenAccuracy.rate(predictions: predictions, targets: targets),
            byLength: SequenceAccuracy.byLength(
                predictions: predictions, targets: targets, lengths: lengths))
    }

    /// Sorting scores: the sequence scores, `validRate` and `sortedRate`; `values` holds each
    /// example's input values (its length is their count).
    ///
    /// - Precondition: the three arrays have the same count.
    public static func sorting(predictions: [[Int]], targets: [[Int]], values: [[Float]])
        -> TaskScore
    {
        var score = sequences(
            predictions: predictions, targets: targets, lengths: values.map(\.count))
        var valid = 0
        var sorted = 0
        for (prediction, example) in zip(predictions, values)
        where PlanarGeometry.isTour(prediction, cityCount: example.count) {
            valid += 1
            if zip(prediction, prediction.dropFirst()).allSatisfy({ example[$0] <= example[$1] }) {
                sorted += 1
            }
        }
        score.validRate = fraction(valid, of: predictions.count)
        score.sortedRate = fraction(sorted, of: predictions.count)
        return score
    }

    /// Convex-hull scores: the sequence scores, `validRate` and `areaCoverage`; `points` holds
    /// each example's flat coordinates `x0 y0 x1 y1 …`.
    ///
    /// - Precondition: the three arrays have the same count; references are positions of
    ///   their points.
    public static func convexHull(predictions: [[Int]], targets: [[Int]], points: [[Float]])
        -> TaskScore
    {
        var score = sequences(
            predictions: predictions, targets: targets, lengths: points.map { $0.count / 2 })
        var valid = 0
        var coverages: [Double] = []
        for ((prediction, target), example) in zip(zip(predictions, targets), points)
        where PlanarGeometry.isSimplePolygon(prediction, points: example) {
            valid += 1
            let hullArea = PlanarGeometry.polygonArea(target, points: example)
            if hullArea > 0 {
                coverages.append(PlanarGeometry.polygonArea(prediction, points: example) / hullArea)
            }
        }
        score.validRate = fraction(valid, of: predictions.count)
        score.areaCoverage =
            coverages.isEmpty ? nil : coverages.reduce(0, +) / Double(coverages.count)
        return score
    }

    /// Triangulation scores: the sequence scores, `validRate` (whole triples of distinct
    /// positions of the points) and `triangleCoverage`; `pointCounts` holds each example's
    /// number of points.
    ///
    /// - Precondition: the three arrays have the same count.
    public static func triangulation(
        predictions: [[Int]], targets: [[Int]], pointCounts: [Int]
    ) -> TaskScore {
        var score = sequences(predictions: predictions, targets: targets, lengths: pointCounts)
        var valid = 0
        var coverage = 0.0
        for ((prediction, target), count) in zip(zip(predictions, targets), pointCounts) {
            let predicted = Set(triples(prediction))
            let isValid =
                prediction.count.isMultiple(of: 3) && !prediction.isEmpty
                && predicted.allSatisfy {
                    PlanarGeometry.hasDistinctPositions($0, below: count)
                }
            if isValid { valid += 1 }
            let reference = triples(target)
            if !reference.isEmpty {
                coverage +=
                    Double(reference.count { predicted.contains($0) }) / Double(reference.count)
            }
        }
        score.validRate = fraction(valid, of: predictions.count)
        score.triangleCoverage = predictions.isEmpty ? nil : coverage / Double(predictions.count)
        return score
    }

    /// TSP scores: the sequence scores, `validRate` and the tour lengths; `points` holds each
    /// example's flat coordinates `x0 y0 x1 y1 …`.
    ///
    /// - Precondition: the three arrays have the same count; references are positions of
    ///   their points.
    public static func tours(predictions: [[Int]], targets: [[Int]], points: [[Float]])
        -> TaskScore
    {
        var score = sequences(
            predictions: predictions, targets: targets, lengths: points.map { $0.count / 2 })
        var valid = 0
        var predicted = 0.0
        var reference = 0.0
        for ((prediction, target), example) in zip(zip(predictions, targets), points)
        where PlanarGeometry.isTour(prediction, cityCount: example.count / 2) {
            valid += 1
            predicted += PlanarGeometry.tourLength(prediction, points: example)
            reference += PlanarGeometry.tourLength(target, points: example)
        }
        score.validRate = fraction(valid, of: predictions.count)
        if valid > 0 {
            score.meanTourLength = predicted / Double(valid)
            score.meanReferenceTourLength = reference / Double(valid)
            score.tourLengthRatio = reference > 0 ? predicted / reference : nil
        }
        return score
    }
}

/// The whole triples of `positions`, each sorted (a trailing partial triple is dropped).
private func triples(_ positions: [Int]) -> [[Int]] {
    stride(from: 0, to: positions.count - 2, by: 3).map {
        positions[$0..<($0 + 3)].sorted()
    }
}

/// `part / whole`, or 0 when `whole` is 0.
private func fraction(_ part: Int, of whole: Int) -> Double {
    whole == 0 ? 0 : Double(part) / Double(whole)
}
