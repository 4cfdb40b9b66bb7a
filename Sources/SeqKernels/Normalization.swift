// Layer and RMS normalisation over the rows of a row-major `rows × width` matrix, forward and
// backward. Forward saves per-row statistics (mean and 1/σ, or 1/rms) that backward reuses.
// Weight and bias gradients sum over rows: each fixed-size chunk of rows sums into its own
// partial row and the partials are added in chunk order, so results do not depend on cores.

/// Layer normalisation of each row: `(x − mean) / √(var + ε) · weight + bias`.
///
/// `var` is the biased variance (divided by `width`), as in PyTorch. `weight` and `bias` have
/// `width` elements each, or are `nil` (scale 1, shift 0). Writes each row's mean and
/// `1 / √(var + ε)` into `mean` and `inverseStd` (`rows` elements each) for the backward pass.
package func layerNormRows(
    _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
    _ out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    inverseStd: UnsafeMutablePointer<Float>, rows: Int, width: Int, epsilon: Float
) {
    nonisolated(unsafe) let (x, out, mean, inverseStd) = (x, out, mean, inverseStd)
    nonisolated(unsafe) let (weight, bias) = (weight, bias)  // read only
    parallelFor(rows, minimumChunk: fusedRowChunk(width: width)) { range in
        for row in range {
            let (source, target) = (x + row * width, out + row * width)
            let average = rowSum(source, count: width) / Float(width)
            let variance = rowCentredSquares(source, count: width, centre: average) / Float(width)
            let scale = 1 / (variance + epsilon).squareRoot()
            mean[row] = average
            inverseStd[row] = scale
            normalizeRow(
                source, target, count: width, centre: average, scale: scale,
                weight: weight, bias: bias)
        }
    }
}

/// Gradients of `layerNormRows` from the saved `mean` and `inverseStd`.
///
/// With `x̂ = (x − mean) · s` and `ĝ = g · weight`: `dx = s · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂))`,
/// `dweight = Σ_rows g · x̂`, `dbias = Σ_rows g`. Each row is read from memory once (it stays
/// in L1 across the sweeps). Any output may be `nil` to skip it; `weightGradient` and
/// `biasGradient` are overwritten, not accumulated into.
package func layerNormRowsBackward(
    outputGradient g: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    weight: UnsafePointer<Float>?, mean: UnsafePointer<Float>, inverseStd: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>?, weightGradient: UnsafeMutablePointer<Float>?,
    biasGradient: UnsafeMutablePointer<Float>?, rows: Int, width: Int
) {
    withWeightOrOnes(weight, width: width) { weight in
        nonisolated(unsafe) let (g, x, weight, mean, inverseStd) = (g, x, weight, mean, inverseStd)
        nonisolated(unsafe) let dx = inputGradient
        withRowChunkPartials(rows: rows, width: width, weightGradient, biasGradient) {
            rowRange, dw, db in
            for row in rowRange {
                let offset = row * width
                let (gRow, xRow) = (g + offset, x + offset)
                let (centre, scale) = (mean[row], inverseStd[row])
                if let dw {
                    addProducts(gRow, xRow, centre: centre, scale: scale, into: dw, count: width)
                }
                if let db { addProducts(gRow, nil, centre: 0, scale: 1, into: db, count: width) }
                guard let dx else { continue }
                let (sumG, sumGX) = gradientSums(
                    gRow, weight, xRow, centre: centre, scale: scale, count: width)
                normalizationInputGradient(
                    gRow, weight, xRow, dx + offset, count: width, centre: centre, scale: scale,
                    meanG: sumG / Float(width), meanGX: sumGX / Float(width))
            }
        }
    }
}

/// RMS normalisation of each row: `x / √(mean(x²) + ε) · weight` (T5, LLaMA).
///
/// `weight` has `width` elements or is `nil`. Writes each row's `1 / √(mean(x²) + ε)` into
/// `inverseRMS` (`rows` elements) for the backward pass.
package func rmsNormRows(
    _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
    _ out: UnsafeMutablePointer<Float>, inverseRMS: UnsafeMutablePointer<Float>,
    rows: Int, width: Int, epsilon: Float
) {
    nonisolated(unsafe) let (x, out, inverseRMS, weight) = (x, out, inverseRMS, weight)
    parallelFor(rows, minimumChunk: fusedRowChunk(width: width)) { range in
        for row in range {
            let (source, target) = (x + row * width, out + row * width)
            let meanSquare = rowCentredSquares(source, count: width, centre: 0) / Float(width)
            let scale = 1 / (meanSquare + epsilon).squareRoot()
            inverseRMS[row] = scale
            normalizeRow(
                source, target, count: width, centre: 0, scale: scale, weight: weight, bias: nil)
        }
    }
}

/// Gradients of `rmsNormRows` from the saved `inverseRMS`.
///
/// With `x̂ = x · s` and `ĝ = g · weight`: `dx = s · (ĝ − x̂ · mean(ĝ · x̂))` and
/// `dweight = Σ_rows g · x̂`. Either output may be `nil`; `weightGradient` is overwritten.
package func rmsNormRowsBackward(
    outputGradient g: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    weight: UnsafePointer<Float>?, inverseRMS: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>?, weightGradient: UnsafeMutablePointer<Float>?,
    rows: Int, width: Int
) {
    withWeightOrOnes(weight, width: width) { weight in
        nonisolated(unsafe) let (g, x, weight, inverseRMS) = (g, x, weight, inverseRMS)
        nonisolated(unsafe) let dx = inputGradient
        withRowChunkPartials(rows: rows, width: width, weightGradient, nil) { rowRange, dw, _ in
            for row in rowRange {
                let offset = row * width
                let (gRow, xRow) = (g + offset, x + offset)
                let scale = inverseRMS[row]
                if let dw {
                    addProducts(gRow, xRow, centre: 0, scale: scale, into: dw, count: width)
                }
                guard let dx else { continue }
                let (_, sumGX) = gradientSums(
                    gRow, weight, xRow, centre: 0, scale: scale, count: width)
                normalizationInputGradient(
                    gRow, weight, xRow, dx + offset, count: width, centre: 0, scale: scale,
                    meanG: 0, meanGX: sumGX / Float(width))
            }
        }
    }
}

/// Calls `body` with `weight`, or with a temporary row of ones when it is `nil`.
private func withWeightOrOnes(
    _ weight: UnsafePointer<Float>?, width: Int, _ body: (UnsafePointer<Float>) -> Void
) {
    if let weight { return body(weight) }
    let ones = UnsafeMutablePointer<Float>.allocate(capacity: max(1, width))
    defer { ones.deallocate() }
    ones.initialize(repeating: 1, count: width)
    body(ones)
}

/// `out[i] += g[i] · (x[i] − centre) · scale`, or `out[i] += g[i]` when `x` is `nil`.
@inline(__always)
private func addProducts(
    _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>?, centre: Float, scale: Float,
    into out: UnsafeMutablePointer<Float>, count: Int
) {
    var i = 0
    if let x {
        while i + 16 <= count {
            FusedSIMD.store(
                FusedSIMD.load(out, i) + FusedSIMD.load(g, i)
                    * ((FusedSIMD.load(x, i) - centre) * scale), out, i)
            i += 16
        }
        while i < count { out[i] += g[i] * ((x[i] - centre) * scale); i += 1 }
    } else {
        while i + 16 <= count {
            FusedSIMD.store(FusedSIMD.load(out, i) + FusedSIMD.load(g, i), out, i); i += 16
        }
        while i < count { out[i] += g[i]; i += 1 }
    }
}

/// `(Σ ĝ, Σ ĝ · x̂)` with `ĝ = g · weight` and `x̂ = (x − centre) · scale`.
@inline(__always)
private func gradientSums(
    _ g: UnsafePointer<Float>, _ weight: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    centre: Float, scale: Float, count: Int
) -> (Float, Float) {
    var sumG = SIMD16<Float>()
    var sumGX = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        let scaled = FusedSIMD.load(g, i) * FusedSIMD.load(weight, i)
        sumG += scaled
        sumGX += scaled * ((FusedSIMD.load(x, i) - centre) * scale)
        i += 16
    }
    var (totalG, totalGX) = (sumG.sum(), sumGX.sum())
    while i < count {
        let scaled = g[i] * weight[i]
        totalG += scaled
        totalGX += scaled * ((x[i] - centre) * scale)
        i += 1
    }
    return (totalG, totalGX)
}

/// `dx = (ĝ − meanG − x̂ · meanGX) · scale` with `ĝ = g · weight`, `x̂ = (x − centre) · scale`.
@inline(__always)
private func normalizationInputGradient(
    _ g: UnsafePointer<Float>, _ weight: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    _ dx: UnsafeMutablePointer<Float>, count: Int, centre: Float, scale: Float,
    meanG: Float, meanGX: Float
) {
    var i = 0
    while i + 16 <= count {
        let normalized = (FusedSIMD.load(x, i) - centre) * scale
        let value = FusedSIMD.load(g, i) * FusedSIMD.load(weight, i) - meanG - normalized * meanGX
        FusedSIMD.store(value * scale, dx, i)
        i += 16
    }
    while i < count {
        let normalized = (x[i] - centre) * scale
        dx[i] = (g[i] * weight[i] - meanG - normalized * meanGX) * scale
        i += 1
    }
}

/// Rows per chunk of a backward pass that reduces over rows: fixed by `width` alone, so the
/// order of the sums never depends on the core count.
private func rowsPerChunk(width: Int) -> Int { max(8, (1 << 16) / max(1, width)) }

/// Runs `body` over chunks of rows in parallel, handing each chunk zeroed partial rows for the
/// requested outputs, then writes each output as the sum of its partials in chunk order.
private func withRowChunkPartials(
    rows: Int, width: Int, _ first: UnsafeMutablePointer<Float>?,
    _ second: UnsafeMutablePointer<Float>?,
    _ body:
        @Sendable (Range<Int>, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?)
        -> Void
) {
    guard first != nil || second != nil else {
        parallelFor(rows, minimumChunk: fusedRowChunk(width: width)) { body($0, nil, nil) }
        return
    }
    let chunkRows = rowsPerChunk(width: width)
    let chunks = (rows + chunkRows - 1) / chunkRows
    func partials(for output: UnsafeMutablePointer<Float>?) -> UnsafeMutablePointer<Float>? {
        guard output != nil else { return nil }
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, chunks * width))
        buffer.initialize(repeating: 0, count: chunks * width)
        return buffer
    }
    nonisolated(unsafe) let (firstPartials, secondPartials) = (
        partials(for: first), partials(for: second)
    )
    defer {
        firstPartials?.deallocate()
        secondPartials?.deallocate()
    }
    // Each chunk writes only its own partial rows.
    parallelFor(chunks, minimumChunk: 1) { range in
        for chunk in range {
            body(
                chunk * chunkRows..<min(rows, (chunk + 1) * chunkRows),
                firstPartials.map { $0 + chunk * width }, secondPartials.map { $0 + chunk * width })
        }
    }
    for (output, partial) in [(first, firstPartials), (second, secondPartials)] {
        guard let output, let partial else { continue }
        output.initialize(repeating: 0, count: width)
        for chunk in 0..<chunks {
            let row = partial + chunk * width
            var i = 0
            while i < width {
                let lanes = min(16, width - i)
                FusedSIMD.storeLanes(
                    FusedSIMD.loadLanes(output + i, lanes) + FusedSIMD.loadLanes(row + i, lanes),
                    output + i, lanes)
                i += 16
            }
        }
    }
}

/// `Σ x[i]` with two 16-lane accumulators.
@inline(__always)
private func rowSum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var s0 = SIMD16<Float>()
    var s1 = SIMD16<Float>()
    var i = 0
    while i + 32 <= count {
        s0 += FusedSIMD.load(x, i)
        s1 += FusedSIMD.load(x, i + 16)
        i += 32
    }
    if i + 16 <= count { s0 += FusedSIMD.load(x, i); i += 16 }
    if i < count { s1 += FusedSIMD.loadPartial(x + i, count: count - i, padding: 0) }
    return (s0 + s1).sum()
}

/// `Σ (x[i] − centre)²` with two 16-lane accumulators.
@inline(__always)
private func rowCentredSquares(_ x: UnsafePointer<Float>, count: Int, centre: Float) -> Float {
    var s0 = SIMD16<Float>()
    var s1 = SIMD16<Float>()
    var i = 0
    while i + 32 <= count {
        let d0 = FusedSIMD.load(x, i) - centre
        let d1 = FusedSIMD.load(x, i + 16) - centre
        s0 += d0 * d0
        s1 += d1 * d1
        i += 32
    }
    if i + 16 <= count {
        let d = FusedSIMD.load(x, i) - centre
        s0 += d * d
        i += 16
    }
    if i < count {
        let d = FusedSIMD.loadPartial(x + i, count: count - i, padding: centre) - centre
        s1 += d * d
    }
    return (s0 + s1).sum()
}

/// `out = (x − centre) · scale · weight + bias`, with a missing weight or bias left out.
@inline(__always)
private func normalizeRow(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
    centre: Float, scale: Float, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?
) {
    var i = 0
    switch (weight, bias) {
    case (let w?, let b?):
        while i + 16 <= count {
            FusedSIMD.store(
                (FusedSIMD.load(x, i) - centre) * scale * FusedSIMD.load(w, i)
                    + FusedSIMD.load(b, i), out, i)
            i += 16
        }
        while i < count { out[i] = (x[i] - centre) * scale * w[i] + b[i]; i += 1 }
    case (let w?, nil):
        while i + 16 <= count {
            FusedSIMD.store((FusedSIMD.load(x, i) - centre) * scale * FusedSIMD.load(w, i), out, i)
            i += 16
        }
        while i < count { out[i] = (x[i] - centre) * scale * w[i]; i += 1 }
    case (nil, let b?):
        while i + 16 <= count {
            FusedSIMD.store((FusedSIMD.load(x, i) - centre) * scale + FusedSIMD.load(b, i), out, i)
            i += 16
        }
        while i < count { out[i] = (x[i] - centre) * scale + b[i]; i += 1 }
    case (nil, nil):
        while i + 16 <= count {
            FusedSIMD.store((FusedSIMD.load(x, i) - centre) * scale, out, i); i += 16
        }
        while i < count { out[i] = (x[i] - centre) * scale; i += 1 }
    }
}
