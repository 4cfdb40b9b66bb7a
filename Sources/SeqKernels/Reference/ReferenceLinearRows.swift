/// Naive twin of `linearRows` for one target: each output a `Double` dot product.
package func referenceLinearRows(
    _ x: UnsafePointer<Float>, rows: Int, inputSize: Int, inputStride: Int,
    target: LinearRowsTarget
) {
    for row in 0..<rows {
        for n in 0..<target.outputSize {
            var sum = Double(target.bias?[n] ?? 0)
            for k in 0..<inputSize {
                sum += Double(x[row * inputStride + k]) * Double(target.weight[n * inputSize + k])
            }
            let out = target.output + row * target.outputStride + n
            out.pointee = target.accumulates ? out.pointee + Float(sum) : Float(sum)
        }
    }
}
