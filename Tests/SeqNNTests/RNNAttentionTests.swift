import SeqNN
import SeqTensor
import SeqTesting
import Testing

// Legend: B batch, T queries per row, S keys.

/// Shapes, masks, parameter paths and finite-difference gradients of the recurrent-model
/// attention layers.
@Suite struct RNNAttentionTests {
    var rng = SeededGenerator(seed: 13)

    @Test mutating func parameterPathsAndShapes() {
        let additive = AdditiveAttention(querySize: 3, keySize: 4, attentionSize: 5, using: &rng)
        #expect(
            additive.namedParameters().map { "\($0.path) \($0.parameter.shape)" } == [
                "query.weight [5, 3]", "key.weight [5, 4]", "key.bias [5]", "vector [5]",
            ])
        let general = LuongAttention(querySize: 3, keySize: 4, score: .general, using: &rng)
        #expect(
            general.namedParameters().map { "\($0.path) \($0.parameter.shape)" } == [
                "weight.weight [3, 4]"
            ])
        let concat = LuongAttention(
            querySize: 3, keySize: 4, score: .concat, attentionSize: 6, using: &rng)
        #expect(
            concat.namedParameters().map { "\($0.path) \($0.parameter.shape)" } == [
                "weight.weight [6, 7]", "vector [6]",
            ])
        #expect(
            LuongAttention(querySize: 4, keySize: 4, score: .dot, using: &rng).parameterCount == 0)
        let glimpse = Glimpse(querySize: 3, memorySize: 4, attentionSize: 5, using: &rng)
        #expect(glimpse.namedParameters().map(\.path) == ["query.weight", "key.weight", "vector"])
        let pointer = PointerAttention(querySize: 3, keySize: 4, attentionSize: 5, using: &rng)
        #expect(pointer.namedParameters().map(\.path) == ["query.weight", "key.weight", "vector"])
    }

    @Test mutating func oneQueryPerRowMatchesTheMatchingRowOfManyQueries() {
        let layer = AdditiveAttention(querySize: 3, keySize: 4, attentionSize: 5, using: &rng)
        let queries = Tensor.normal([2, 3, 3], using: &rng)
        let keys = Tensor.normal([2, 4, 4], using: &rng)
        let values = Tensor.normal([2, 4, 2], using: &rng)
        let mask = AttentionMask.keyLengths([4, 3])
        let all = layer(queries, keys: keys, values: values, mask: mask)
        #expect(all.context.shape == [2, 3, 2] && all.weights.shape == [2, 3, 4])
        let second = layer(
            queries.sliced(axis: 1, 1..<2).squeezed(axis: 1), keys: keys, values: values,
            mask: mask)
        #expect(second.context.shape == [2, 2] && second.weights.shape == [2, 4])
        expectClose(second.context, all.context.sliced(axis: 1, 1..<2).squeezed(axis: 1))
        expectClose(second.weights, all.weights.sliced(axis: 1, 1..<2).squeezed(axis: 1))
    }

    @Test mutating func paddedKeysGetZeroWeightWhateverTheirValues() {
        let layer = LuongAttention(querySize: 4, keySize: 4, score: .general, using: &rng)
        let queries = Tensor.normal([2, 4], using: &rng)
        let keys = Tensor.normal([2, 5, 4], using: &rng)
        let values = Tensor.normal([2, 5, 3], using: &rng)
        let read = layer(queries, keys: keys, values: values, mask: .keyLengths([5, 2]))
        let weights = read.weights.scalars
        #expect(weights[7..<10].allSatisfy { $0 == 0 })
        // Changing the padded keys and values of row 1 changes nothing.
        let noisyKeys = keys + Tensor(shape: [2, 5, 1], scalars: [0, 0, 0, 0, 0, 0, 0, 9, 9, 9])
        let noisyValues =
            values + Tensor(shape: [2, 5, 1], scalars: [0, 0, 0, 0, 0, 0, 0, -7, 7, 3])
        let again = layer(queries, keys: noisyKeys, values: noisyValues, mask: .keyLengths([5, 2]))
        expectClose(
            again.context.sliced(axis: 0, 1..<2), read.context.sliced(axis: 0, 1..<2),
            tolerance: 0)
    }

    @Test mutating func pointerBlocksChosenAndPaddedPositions() {
        let layer = PointerAttention(querySize: 3, keySize: 2, attentionSize: 4, using: &rng)
        let keys = layer.projectedKeys(.normal([2, 4, 2], using: &rng))
        let queries = Tensor.normal([2, 3], using: &rng)
        let chosen = Tensor(shape: [2, 4], scalars: [1, 0, 0, 1, 0, 0, 0, 0])
        let logProbabilities = layer.logProbabilities(
            queries, projectedKeys: keys, mask: .keyLengths([4, 3]), chosen: chosen)
        #expect(logProbabilities.shape == [2, 4])
        let probabilities = logProbabilities.exp().scalars
        #expect(probabilities[0] == 0 && probabilities[3] == 0 && probabilities[7] == 0)
        #expect(abs(probabilities[1] + probabilities[2] - 1) < 1e-5)
        #expect(abs(probabilities[4] + probabilities[5] + probabilities[6] - 1) < 1e-5)
        // Every position blocked: finite, not NaN.
        let allBlocked = layer.logProbabilities(
            queries, projectedKeys: keys, chosen: .ones([2, 4]))
        #expect(allBlocked.scalars.allSatisfy { $0.isFinite })
    }

    @Test mutating func clippedPointerLogitsStayWithinTheClip() {
        let layer = PointerAttention(
            querySize: 3, keySize: 2, attentionSize: 4, logitClip: 0.5, using: &rng)
        let keys = layer.projectedKeys(.normal([2, 4, 2], standardDeviation: 5, using: &rng))
        let logits = layer.logits(
            .normal([2, 3, 3], standardDeviation: 5, using: &rng), projectedKeys: keys)
        #expect(logits.shape == [2, 3, 4])
        #expect(logits.scalars.allSatisfy { abs($0) <= 0.5 })
    }

    @Test mutating func inputGradientsMatchFiniteDifferences() {
        let additive = AdditiveAttention(querySize: 3, keySize: 4, attentionSize: 5, using: &rng)
        let luong = LuongAttention(
            querySize: 3, keySize: 4, score: .concat, attentionSize: 5, using: &rng)
        let general = LuongAttention(querySize: 3, keySize: 4, score: .general, using: &rng)
        let glimpse = Glimpse(querySize: 3, memorySize: 4, attentionSize: 5, using: &rng)
        let pointer = PointerAttention(
            querySize: 3, keySize: 4, attentionSize: 5, logitClip: 3, using: &rng)
        let queries = Tensor.normal([2, 2, 3], using: &rng)
        let keys = Tensor.normal([2, 4, 4], using: &rng)
        let values = Tensor.normal([2, 4, 2], using: &rng)
        let mask = AttentionMask.keyLengths([4, 3])
        expectGradientsMatch(
            {
                let read = additive($0[0], keys: $0[1], values: $0[2], mask: mask)
                return concatenate([read.context, read.weights], axis: -1)
            }, at: [queries, keys, values])
        for layer in [luong, general] {
            expectGradientsMatch(
                {
                    let read = layer($0[0], keys: $0[1], values: $0[2], mask: mask)
                    return concatenate([read.context, read.weights], axis: -1)
                }, at: [queries, keys, values])
        }
        expectGradientsMatch(
            {
                let read = glimpse($0[0], memory: $0[1], mask: mask)
                return concatenate([read.context, read.weights], axis: -1)
            }, at: [queries, keys])
        let chosen = Tensor(shape: [2, 1, 4], scalars: [0, 1, 0, 0, 1, 0, 0, 0])
        // Blocked entries (≈ -1e9) are zeroed: in Float they would swamp the differences.
        let blocked = Tensor(shape: [2, 1, 4], scalars: [0, 1, 0, 0, 1, 0, 0, 1])
        expectGradientsMatch(
            {
                pointer.logProbabilities(
                    $0[0], projectedKeys: pointer.projectedKeys($0[1]), mask: mask,
                    chosen: chosen
                ).maskedFill(where: blocked, with: 0)
            }, at: [queries, keys])
    }

    @Test mutating func parameterGradientsMatchFiniteDifferences() {
        let queries = Tensor.normal([2, 2, 3], using: &rng)
        let keys = Tensor.normal([2, 4, 4], using: &rng)
        let values = Tensor.normal([2, 4, 2], using: &rng)
        let mask = AttentionMask.keyLengths([4, 2])
        let additive = AdditiveAttention(querySize: 3, keySize: 4, attentionSize: 5, using: &rng)
        expectParameterGradientsMatch(of: additive) {
            additive(queries, keys: keys, values: values, mask: mask).context
        }
        for score in LuongAttention.Score.allCases where score != .dot {
            let luong = LuongAttention(
                querySize: 3, keySize: 4, score: score, attentionSize: 5, using: &rng)
            expectParameterGradientsMatch(of: luong) {
                luong(queries, keys: keys, values: values, mask: mask).context
            }
        }
        let glimpse = Glimpse(querySize: 3, memorySize: 4, attentionSize: 5, using: &rng)
        expectParameterGradientsMatch(of: glimpse) {
            glimpse(queries, memory: keys, mask: mask).context
        }
        let pointer = PointerAttention(querySize: 3, keySize: 4, attentionSize: 5, using: &rng)
        let padding = Tensor(shape: [2, 1, 4], scalars: [0, 0, 0, 0, 0, 0, 1, 1])
        expectParameterGradientsMatch(of: pointer) {
            pointer.logProbabilities(
                queries, projectedKeys: pointer.projectedKeys(keys), mask: mask
            ).maskedFill(where: padding, with: 0)
        }
    }
}
