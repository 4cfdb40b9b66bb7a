import SeqMetrics
import Testing

/// Task metrics on small cases worked out by hand.
@Suite struct TaskMetricTests {
    /// The unit square, counter-clockwise from the origin, and its centre as point 4.
    let square: [Float] = [0, 0, 1, 0, 1, 1, 0, 1, 0.5, 0.5]

    @Test func polygonAreaIsTheShoelaceAreaInEitherOrientation() {
        #expect(PlanarGeometry.polygonArea([0, 1, 2, 3], points: square) == 1)
        #expect(PlanarGeometry.polygonArea([3, 2, 1, 0], points: square) == 1)
        #expect(PlanarGeometry.polygonArea([0, 1, 3], points: square) == 0.5)
        #expect(PlanarGeometry.polygonArea([0, 1, 4, 3], points: square) == 0.5)
        #expect(PlanarGeometry.polygonArea([0, 1], points: square) == 0)
    }

    @Test func simplePolygonsHaveDistinctInRangeVerticesAndNoCrossings() {
        #expect(PlanarGeometry.isSimplePolygon([0, 1, 2, 3], points: square))
        #expect(PlanarGeometry.isSimplePolygon([3, 2, 1, 0], points: square))
        #expect(PlanarGeometry.isSimplePolygon([0, 1, 4, 3], points: square))
        #expect(!PlanarGeometry.isSimplePolygon([0, 2, 1, 3], points: square))  // bow tie
        #expect(!PlanarGeometry.isSimplePolygon([0, 1, 0, 3], points: square))  // repeated
        #expect(!PlanarGeometry.isSimplePolygon([0, 1, 5], points: square))  // out of range
        #expect(!PlanarGeometry.isSimplePolygon([0, -1, 2], points: square))
        #expect(!PlanarGeometry.isSimplePolygon([0, 1], points: square))
        #expect(!PlanarGeometry.isSimplePolygon([0, 4, 2], points: square))  // collinear
        // Vertex 4 lies on edge 0→1, which is not next to it: not simple.
        let notched: [Float] = [0, 0, 2, 0, 2, 2, 0, 2, 1, 0]
        #expect(!PlanarGeometry.isSimplePolygon([0, 1, 2, 4, 3], points: notched))
        // A vertex in the middle of a straight side still makes a simple polygon.
        #expect(PlanarGeometry.isSimplePolygon([0, 4, 1, 2, 3], points: notched))
        let coincident: [Float] = [0, 0, 1, 0, 1, 1, 1, 1]
        #expect(!PlanarGeometry.isSimplePolygon([0, 1, 2, 3], points: coincident))
    }

    @Test func toursVisitEveryCityOnce() {
        #expect(PlanarGeometry.isTour([2, 0, 1], cityCount: 3))
        #expect(!PlanarGeometry.isTour([0, 1], cityCount: 3))
        #expect(!PlanarGeometry.isTour([0, 1, 1], cityCount: 3))
        #expect(!PlanarGeometry.isTour([0, 1, 3], cityCount: 3))
        #expect(PlanarGeometry.tourLength([0, 1, 2, 3], points: square) == 4)
        #expect(
            PlanarGeometry.tourLength([0, 2, 1, 3], points: square) == 2 + 2 * 2.0.squareRoot())
        #expect(PlanarGeometry.tourLength([], points: square) == 0)
    }

    @Test func exactAndByLengthAccuracy() {
        let predictions = [[1, 2], [3], [4, 5, 6], [7]]
        let targets = [[1, 2], [3, 0], [4, 5, 6], [8]]
        #expect(SequenceAccuracy.exactRate(predictions: predictions, targets: targets) == 0.5)
        #expect(SequenceAccuracy.exactRate(predictions: [[Int]](), targets: []) == 0)
        let rows = SequenceAccuracy.byLength(
            predictions: predictions, targets: targets, lengths: [2, 2, 3, 1])
        #expect(
            rows == [
                LengthAccuracy(length: 1, count: 1, exactAccuracy: 0),
                LengthAccuracy(length: 2, count: 2, exactAccuracy: 0.5),
                LengthAccuracy(length: 3, count: 1, exactAccuracy: 1),
            ])
    }

    @Test func convexHullScores() {
        let reference = [0, 1, 2, 3]
        let predictions = [[0, 1, 2, 3], [0, 1, 2], [0, 2, 1, 3], [0, 1, 4, 3]]
        let score = TaskScore.convexHull(
            predictions: predictions, targets: Array(repeating: reference, count: 4),
            points: Array(repeating: square, count: 4))
        #expect(score.count == 4)
        #expect(score.exactAccuracy == 0.25)
        #expect(score.tokenAccuracy == 12.0 / 16)  // 4 + 3 + 2 + 3 of 4 positions each
        #expect(score.validRate == 0.75)  // the bow tie is not simple
        #expect(abs((score.areaCoverage ?? 0) - 2.0 / 3) < 1e-12)  // (1 + 0.5 + 0.5) / 3
        #expect(score.byLength == [LengthAccuracy(length: 5, count: 4, exactAccuracy: 0.25)])
        #expect(score.meanTourLength == nil && score.sortedRate == nil)
    }

    @Test func tourScores() {
        let predictions = [[0, 1, 2, 3], [0, 2, 1, 3], [0, 1, 2], [3, 2, 1, 0]]
        let points: [Float] = [0, 0, 1, 0, 1, 1, 0, 1]
        let score = TaskScore.tours(
            predictions: predictions, targets: Array(repeating: [0, 1, 2, 3], count: 4),
            points: Array(repeating: points, count: 4))
        #expect(score.exactAccuracy == 0.25)
        #expect(score.validRate == 0.75)
        let predicted = (4 + 2 + 2 * 2.0.squareRoot() + 4) / 3
        #expect(abs((score.meanTourLength ?? 0) - predicted) < 1e-12)
        #expect(score.meanReferenceTourLength == 4)
        #expect(abs((score.tourLengthRatio ?? 0) - predicted / 4) < 1e-12)
        let none = TaskScore.tours(predictions: [[0]], targets: [[0, 1]], points: [[0, 0, 1, 1]])
        #expect(none.validRate == 0 && none.meanTourLength == nil && none.tourLengthRatio == nil)
    }

    @Test func sortingScoresCountTiesAsSorted() {
        let values: [[Float]] = [[0.3, 0.1, 0.2], [0.3, 0.1, 0.2], [0.3, 0.1, 0.2], [2, 1, 2]]
        let targets = [[1, 2, 0], [1, 2, 0], [1, 2, 0], [1, 0, 2]]
        let predictions = [[1, 2, 0], [1, 0, 2], [1, 2], [1, 2, 0]]
        let score = TaskScore.sorting(predictions: predictions, targets: targets, values: values)
        #expect(score.exactAccuracy == 0.25)
        #expect(score.validRate == 0.75)
        #expect(score.sortedRate == 0.5)  // the first and, with equal values swapped, the last
        #expect(score.areaCoverage == nil)
    }

    @Test func triangulationScoresCountReferenceTrianglesFound() {
        let reference = [0, 1, 4, 1, 2, 4, 2, 3, 4, 0, 3, 4]
        let predictions = [reference, [4, 1, 0, 1, 2, 4], [0, 1], [0, 1, 1, 2, 3, 4]]
        let score = TaskScore.triangulation(
            predictions: predictions, targets: Array(repeating: reference, count: 4),
            pointCounts: Array(repeating: 5, count: 4))
        #expect(score.exactAccuracy == 0.25)
        #expect(score.validRate == 0.5)  // [0, 1] is no triangle; [0, 1, 1] repeats a point
        #expect(score.triangleCoverage == (1 + 0.5 + 0 + 0.25) / 4)
        #expect(score.areaCoverage == nil)
    }

    @Test func sequenceScoresUseTokenAccuracy() {
        let score = TaskScore.sequences(
            predictions: [[1, 2, 3], [4]], targets: [[1, 2, 3], [4, 4]], lengths: [3, 2])
        #expect(score.exactAccuracy == 0.5)
        #expect(score.tokenAccuracy == 4.0 / 5)
        #expect(score.validRate == nil)
    }
}
