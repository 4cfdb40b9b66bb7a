import SeqKernels
import Testing

@Suite struct LinearRowsKernelTests {
    static let inputSizes = [1, 15, 16, 17, 1000]
    static let outputSizes = [1, 3, 4, 17]
    /// One row, the sequential regime (up to 8 rows) and the blocked regime.
    static let rowCounts = [1, 2, 5, 11]

    /// Runs `linearRows` with two targets (one with a bias, one accumulating without) and
    /// each target's naive twin; returns both results for each target.
    private func run(
        rows: Int, inputSize: Int, outputSize: Int
    ) -> (fast: [[Float]], naive: [[Float]]) {
        let stride = inputSize + 3  // rows of x are not contiguous
        let x = fusedKernelInput(rows * stride, scale: 1)
        let sizes = [outputSize, outputSize + 5]
        let weights = sizes.enumerated().map { index, size in
            fusedKernelInput(size * inputSize, phase: Float(index + 1), scale: 0.5)
        }
        let bias = fusedKernelInput(sizes[0], phase: 3)
        let initial = sizes.map { fusedKernelInput(rows * $0, phase: 5) }
        var (fast0, fast1) = (initial[0], initial[1])
        var naive = initial
        for (index, size) in sizes.enumerated() {
            weights[index].withUnsafeBufferPointer { weight in
                bias.withUnsafeBufferPointer { bias in
                    naive[index].withUnsafeMutableBufferPointer { out in
                        referenceLinearRows(
                            x, rows: rows, inputSize: inputSize, inputStride: stride,
                            target: LinearRowsTarget(
                                weight: address(weight),
                                bias: index == 0 ? bias.baseAddress : nil,
                                output: address(out), outputSize: size,
                                accumulates: index == 1))
                    }
                }
            }
        }
        weights[0].withUnsafeBufferPointer { w0 in
            weights[1].withUnsafeBufferPointer { w1 in
                bias.withUnsafeBufferPointer { bias in
                    fast0.withUnsafeMutableBufferPointer { out0 in
                        fast1.withUnsafeMutableBufferPointer { out1 in
                            linearRows(
                                x, rows: rows, inputSize: inputSize, inputStride: stride,
                                targets: [
                                    LinearRowsTarget(
                                        weight: address(w0), bias: bias.baseAddress,
                                        output: address(out0), outputSize: sizes[0]),
                                    LinearRowsTarget(
                                        weight: address(w1), bias: nil,
                                        output: address(out1), outputSize: sizes[1],
                                        accumulates: true),
                                ])
                        }
                    }
                }
            }
        }
        return ([fast0, fast1], naive)
    }

    @Test(arguments: inputSizes, outputSizes)
    func matchesReference(inputSize: Int, outputSize: Int) {
        for rows in Self.rowCounts {
            let (fast, naive) = run(rows: rows, inputSize: inputSize, outputSize: outputSize)
            for index in fast.indices {
                expectFusedKernelClose(
                    fast[index], naive[index], relative: 1e-5, absolute: 1e-4,
                    "\(rows) rows, \(inputSize) → \(outputSize), target \(index)")
            }
        }
    }

    /// A row's outputs are bit for bit the same whatever the other rows of the call, as long
    /// as the row count keeps the call in one regime (up to 8 rows, or more), and equal to
    /// rounding across regimes.
    @Test(arguments: inputSizes)
    func rowResultsDoNotDependOnTheOtherRows(inputSize: Int) {
        let rows = 12
        let outputSize = 9
        let x = fusedKernelInput(rows * inputSize, scale: 1)
        let weight = fusedKernelInput(outputSize * inputSize, phase: 1, scale: 0.5)
        func outputs(ofRows range: Range<Int>) -> [Float] {
            var out = [Float](repeating: 0, count: range.count * outputSize)
            x.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { weight in
                    out.withUnsafeMutableBufferPointer { out in
                        linearRows(
                            address(x) + range.lowerBound * inputSize, rows: range.count,
                            inputSize: inputSize,
                            targets: [
                                LinearRowsTarget(
                                    weight: address(weight), bias: nil,
                                    output: address(out), outputSize: outputSize)
                            ])
                    }
                }
            }
            return out
        }
        func rowsOf(_ outputs: [Float], _ range: Range<Int>) -> [Float] {
            Array(outputs[(range.lowerBound * outputSize)..<(range.upperBound * outputSize)])
        }
        let blocked = outputs(ofRows: 0..<rows)
        #expect(rowsOf(blocked, 3..<rows) == outputs(ofRows: 3..<rows), "blocked regime")
        let sequential = outputs(ofRows: 0..<5)
        for row in 0..<5 {
            let alone = outputs(ofRows: row..<(row + 1))
            #expect(alone == rowsOf(sequential, row..<(row + 1)), "row \(row) alone")
            expectFusedKernelClose(
                alone, rowsOf(blocked, row..<(row + 1)), relative: 1e-5, absolute: 1e-5,
                "row \(row) alone and among \(rows)")
        }
    }
}

/// The first element of a non-empty buffer.
func address<T>(_ buffer: UnsafeBufferPointer<T>) -> UnsafePointer<T> {
    guard let base = buffer.baseAddress else { preconditionFailure("empty test buffer") }
    return base
}

/// The first element of a non-empty mutable buffer.
func address<T>(_ buffer: UnsafeMutableBufferPointer<T>) -> UnsafeMutablePointer<T> {
    guard let base = buffer.baseAddress else { preconditionFailure("empty test buffer") }
    return base
}
