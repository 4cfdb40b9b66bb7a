#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Per-row cross-entropy of a row-major `rows × classes` matrix of logits against class ids,
/// with label smoothing, as PyTorch's `cross_entropy(..., reduction="none")`.
///
/// With `lse = log Σ exp(x)` (computed stably, shifted by the row maximum) and smoothing `ε`:
/// `loss = (1 − ε) · (lse − x[target]) + ε · (lse − mean(x))`. A row whose target equals
/// `ignoreIndex` gets loss 0. Writes `losses` and the per-row `logSumExp` (`rows` elements
/// each) that the backward pass reuses. Every other target must be in `0..<classes`.
package func crossEntropyRows(
    _ logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
    losses: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>,
    rows: Int, classes: Int, ignoreIndex: Int32?, labelSmoothing: Float
) {
    nonisolated(unsafe) let (logits, targets, losses, logSumExp) =
        (logits, targets, losses, logSumExp)  // workers own disjoint rows
    parallelFor(rows, minimumChunk: fusedRowChunk(width: classes)) { range in
        for row in range {
            let target = targets[row]
            if target == ignoreIndex {
                losses[row] = 0
                logSumExp[row] = 0
                continue
            }
            precondition(
                target >= 0 && Int(target) < classes,
                "crossEntropyRows: target \(target) at row \(row) is outside 0..<\(classes)")
            let x = logits + row * classes
            let maximum = fusedRowMaximum(x, count: classes)
            let lse = maximum + log(fusedRowExponentials(x, nil, count: classes, shift: maximum))
            var loss = (1 - labelSmoothing) * (lse - x[Int(target)])
            if labelSmoothing != 0 {
                loss += labelSmoothing * (lse - sumContiguous(x, count: classes) / Float(classes))
            }
            losses[row] = loss
            logSumExp[row] = lse
        }
    }
}

/// Gradient of `crossEntropyRows` with respect to the logits, from the saved `logSumExp`.
///
/// `dx = scale · (softmax(x) − (1 − ε) · onehot(target) − ε / classes)`, one sweep per row;
/// ignored rows get zeros. The scale of row `r` is `scales[r · scaleStride]`: stride 1 for a
/// per-row upstream gradient (`reduction: none`), stride 0 for one shared scale (`sum`, or
/// `mean` with the upstream gradient already divided by the number of counted rows).
package func crossEntropyRowsBackward(
    _ logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
    logSumExp: UnsafePointer<Float>, scales: UnsafePointer<Float>, scaleStride: Int,
    inputGradient dx: UnsafeMutablePointer<Float>,
    rows: Int, classes: Int, ignoreIndex: Int32?, labelSmoothing: Float
) {
    nonisolated(unsafe) let (logits, targets, logSumExp, scales, dx) =
        (logits, targets, logSumExp, scales, dx)  // workers own disjoint rows
    parallelFor(rows, minimumChunk: fusedRowChunk(width: classes)) { range in
        for row in range {
            let (x, out) = (logits + row * classes, dx + row * classes)
            let target = targets[row]
            if target == ignoreIndex {
                out.update(repeating: 0, count: classes)
                continue
            }
            precondition(
                target >= 0 && Int(target) < classes,
                "crossEntropyRowsBackward: target \(target) at row \(row) is outside 0..<\(classes)"
            )
            let scale = scales[row * scaleStride]
            let lse = logSumExp[row]
            let uniform = scale * labelSmoothing / Float(classes)
            var i = 0
            while i + 16 <= classes {
                FusedSIMD.store(
                    vectorExpNonPositive(FusedSIMD.load(x, i) - lse) * scale - uniform, out, i)
                i += 16
            }
            if i < classes {
                let rest = classes - i
                let p = vectorExpNonPositive(
                    FusedSIMD.loadPartial(x + i, count: rest, padding: 0) - lse)
                FusedSIMD.storePartial(p * scale - uniform, out + i, count: rest)
            }
            out[Int(target)] -= scale * (1 - labelSmoothing)
        }
    }
}
