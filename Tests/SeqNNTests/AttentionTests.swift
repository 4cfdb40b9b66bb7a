import SeqNN
import SeqTensor
import SeqTesting
import Testing

// Legend: B batch, T queries, S keys, D model size.

/// Whether every element of `tensor` is finite (no NaN, no infinity).
private func isFinite(_ tensor: Tensor) -> Bool { tensor.scalars.allSatisfy { $0.isFinite } }

@Suite struct AttentionTests {
    var rng = SeededGenerator(seed: 6)

    /// Decodes `x`, `[B, T, D]`, through `attention` in chunks of `steps` positions with a
    /// cache, returning the outputs concatenated along T.
    private func decode(
        _ attention: MultiHeadAttention, _ x: Tensor, steps: [Int], lengths: [Int]? = nil
    ) -> Tensor {
        var cache: KeyValueCache? = nil
        var outputs: [Tensor] = []
        var start = 0
        for step in steps {
            let chunk = x.sliced(axis: 1, start..<(start + step))
            var mask = AttentionMask.causal
            if let lengths { mask = mask.combined(with: .keyLengths(lengths)) }
            outputs.append(attention(chunk, keys: chunk, values: chunk, mask: mask, cache: &cache))
            start += step
        }
        #expect(cache?.length == x.shape[1])
        return concatenate(outputs, axis: 1)
    }

    @Test func maskScoreBiasBlocksFutureAndPaddedKeys() {
        let blocked = AttentionMask.blockedScore
        let causal = AttentionMask.causal.scoreBias(batchSize: 2, queryCount: 2, keyCount: 3)
        // Bottom-right aligned: with one cached key, query 0 sits at position 1.
        #expect(causal?.shape == [1, 1, 2, 3])
        #expect(causal?.scalars == [0, 0, blocked, 0, 0, 0])
        let padding = AttentionMask.keyLengths([3, 1]).scoreBias(
            batchSize: 2, queryCount: 2, keyCount: 3)
        #expect(padding?.shape == [2, 1, 1, 3])
        #expect(padding?.scalars == [0, 0, 0, 0, blocked, blocked])
        let both = AttentionMask.causal.combined(
            with: .keyPadding(Tensor(shape: [1, 2], scalars: [0, 1]))
        )
        .scoreBias(batchSize: 1, queryCount: 2, keyCount: 2)
        #expect(both?.scalars == [blocked, blocked, blocked, 0])
        #expect(AttentionMask().scoreBias(batchSize: 2, queryCount: 2, keyCount: 2) == nil)
    }

    @Test mutating func shapesForSelfAndCrossAttention() {
        let attention = MultiHeadAttention(modelSize: 8, headCount: 2, using: &rng)
        let x = Tensor.normal([2, 3, 8], using: &rng)
        let memory = Tensor.normal([2, 7, 8], using: &rng)
        #expect(attention(x, keys: x, values: x).shape == [2, 3, 8])
        #expect(
            attention(x, keys: memory, values: memory, mask: .keyLengths([7, 2])).shape == [
                2, 3, 8,
            ])
    }

    @Test mutating func causalOutputsIgnoreLaterTokens() {
        let attention = MultiHeadAttention(modelSize: 8, headCount: 2, using: &rng)
        let x = Tensor.normal([1, 5, 8], using: &rng)
        let changed = concatenate(
            [x.sliced(axis: 1, 0..<3), .normal([1, 2, 8], using: &rng)], axis: 1)
        let original = attention(x, keys: x, values: x, mask: .causal)
        let altered = attention(changed, keys: changed, values: changed, mask: .causal)
        expectClose(
            altered.sliced(axis: 1, 0..<3), original.sliced(axis: 1, 0..<3), tolerance: 1e-6)
    }

    @Test mutating func garbagePaddingKeysChangeNothing() {
        let attention = MultiHeadAttention(modelSize: 8, headCount: 2, using: &rng)
        let queries = Tensor.normal([2, 4, 8], using: &rng)
        let memory = Tensor.normal([2, 5, 8], using: &rng)
        let reference = attention(queries, keys: memory, values: memory)
        let garbage = Tensor.normal([2, 3, 8], mean: 5, standardDeviation: 50, using: &rng)
        let padded = concatenate([memory, garbage], axis: 1)
        let byLengths = attention(queries, keys: padded, values: padded, mask: .keyLengths([5, 5]))
        expectClose(byLengths, reference, tolerance: 1e-6)
        let flags = Tensor(shape: [2, 8], scalars: (0..<16).map { $0 % 8 < 5 ? 1 : 0 })
        let byMask = attention(queries, keys: padded, values: padded, mask: .keyPadding(flags))
        expectClose(byMask, reference, tolerance: 1e-6)
    }

    @Test mutating func selfAttentionPaddingKeepsRealRowsAndFiniteOutputs() {
        let attention = MultiHeadAttention(
            modelSize: 8, headCount: 4, keyValueHeadCount: 2, using: &rng)
        let x = Tensor.normal([2, 3, 8], using: &rng)
        let reference = attention(x, keys: x, values: x, mask: .causal)
        let padded = concatenate(
            [x, .normal([2, 2, 8], standardDeviation: 30, using: &rng)], axis: 1)
        let mask = AttentionMask.causal.combined(with: .keyLengths([3, 3]))
        let output = attention(padded, keys: padded, values: padded, mask: mask)
        expectClose(output.sliced(axis: 1, 0..<3), reference, tolerance: 1e-6)
        #expect(isFinite(output))
        // Left padding with a causal mask leaves the first query with no real key at all.
        let leftPadded = AttentionMask.keyPadding(
            Tensor(shape: [2, 5], scalars: [0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
        ).combined(with: .causal)
        #expect(isFinite(attention(padded, keys: padded, values: padded, mask: leftPadded)))
        #expect(isFinite(attention(x, keys: x, values: x, mask: .keyLengths([0, 3]))))
    }

    @Test mutating func paddedRowsGiveFiniteGradients() {
        let attention = MultiHeadAttention(modelSize: 8, headCount: 2, using: &rng)
        let x = Tensor.normal([2, 4, 8], using: &rng)
        let mask = AttentionMask.keyPadding(
            Tensor(shape: [2, 4], scalars: [0, 1, 1, 1, 1, 1, 0, 0])
        )
        .combined(with: .causal)
        let gradient = gradient(
            of: { attention($0, keys: $0, values: $0, mask: mask).sum() }, at: x)
        #expect(isFinite(gradient))
    }

    @Test mutating func incrementalDecodingMatchesTheCausalForward() {
        for (heads, keyValueHeads, rotary) in [(2, 2, false), (4, 2, true), (4, 1, false)] {
            let attention = MultiHeadAttention(
                modelSize: 8, headCount: heads, keyValueHeadCount: keyValueHeads, rotary: rotary,
                using: &rng)
            let x = Tensor.normal([2, 6, 8], using: &rng)
            let full = attention(x, keys: x, values: x, mask: .causal)
            expectClose(decode(attention, x, steps: [1, 1, 1, 1, 1, 1]), full, tolerance: 1e-5)
            expectClose(decode(attention, x, steps: [2, 3, 1]), full, tolerance: 1e-5)
        }
    }

    @Test mutating func incrementalDecodingWithKeyPadding() {
        let attention = MultiHeadAttention(modelSize: 8, headCount: 2, rotary: true, using: &rng)
        let x = Tensor.normal([2, 5, 8], using: &rng)
        let mask = AttentionMask.causal.combined(with: .keyLengths([5, 2]))
        let full = attention(x, keys: x, values: x, mask: mask)
        expectClose(
            decode(attention, x, steps: [1, 1, 1, 1, 1], lengths: [5, 2]), full, tolerance: 1e-5)
    }

    @Test mutating func crossAttentionReusesProjectedMemory() {
        let attention = MultiHeadAttention(
            modelSize: 8, headCount: 4, keyValueHeadCount: 2, rotary: true, using: &rng)
        let queries = Tensor.normal([2, 4, 8], using: &rng)
        let memory = Tensor.normal([2, 6, 8], using: &rng)
        let mask = AttentionMask.keyLengths([6, 3])
        let full = attention(queries, keys: memory, values: memory, mask: mask)
        let projected = attention.projectedKeyValues(keys: memory, values: memory)
        let steps = (0..<4).map { step in
            attention(
                queries.sliced(axis: 1, step..<(step + 1)), keyValues: projected, mask: mask,
                queryOffset: step)
        }
        expectClose(concatenate(steps, axis: 1), full, tolerance: 1e-5)
        #expect(projected.keys.shape == [2, 2, 6, 2])
    }

    @Test mutating func reorderingTheCacheFollowsTheBatchRows() {
        let attention = MultiHeadAttention(modelSize: 8, headCount: 2, using: &rng)
        let x = Tensor.normal([2, 3, 8], using: &rng)
        let swapped = x.indexSelect(axis: 0, indices: [1, 0])
        var cache: KeyValueCache? = nil
        let prefix = x.sliced(axis: 1, 0..<2)
        _ = attention(prefix, keys: prefix, values: prefix, mask: .causal, cache: &cache)
        cache?.reorder(rows: [1, 0])
        let last = swapped.sliced(axis: 1, 2..<3)
        let step = attention(last, keys: last, values: last, mask: .causal, cache: &cache)
        let full = attention(swapped, keys: swapped, values: swapped, mask: .causal)
        expectClose(step, full.sliced(axis: 1, 2..<3), tolerance: 1e-5)
    }

    @Test mutating func groupedHeadsEqualRepeatedKeyValueHeads() {
        // Query head h reads key/value head h / 2: tile the rows of the grouped projections.
        let grouped = MultiHeadAttention(
            modelSize: 8, headCount: 4, keyValueHeadCount: 2, using: &rng)
        let full = MultiHeadAttention(modelSize: 8, headCount: 4, using: &rng)
        func tiled(_ parameter: Parameter) -> Tensor {
            let value = parameter.value
            let heads = (0..<4).map { head in
                value.sliced(axis: 0, (head / 2 * 2)..<(head / 2 * 2 + 2))
            }
            return concatenate(heads, axis: 0)
        }
        withoutGradients {
            full.query.weight.value = grouped.query.weight.value
            full.output.weight.value = grouped.output.weight.value
            for (target, source) in [(full.key, grouped.key), (full.value, grouped.value)] {
                target.weight.value = tiled(source.weight)
                if let bias = target.bias, let sourceBias = source.bias {
                    bias.value = tiled(sourceBias)
                }
            }
            for (target, source) in [(full.query, grouped.query), (full.output, grouped.output)] {
                if let bias = target.bias, let sourceBias = source.bias {
                    bias.value = sourceBias.value
                }
            }
        }
        let x = Tensor.normal([2, 3, 8], using: &rng)
        expectClose(
            grouped(x, keys: x, values: x, mask: .causal),
            full(x, keys: x, values: x, mask: .causal),
            tolerance: 1e-5)
    }

    @Test mutating func additiveBiasShiftsScores() {
        let attention = MultiHeadAttention(modelSize: 8, headCount: 2, using: &rng)
        let x = Tensor.normal([1, 3, 8], using: &rng)
        let plain = attention(x, keys: x, values: x)
        expectClose(
            attention(x, keys: x, values: x, mask: .additive(.full([1, 1, 1, 1], 3))), plain)
        let blockLast = Tensor(shape: [1, 1, 1, 3], scalars: [0, 0, AttentionMask.blockedScore])
        expectClose(
            attention(x, keys: x, values: x, mask: .additive(blockLast)),
            attention(x, keys: x, values: x, mask: .keyLengths([2])), tolerance: 1e-6)
    }

    @Test mutating func dropoutActsOnlyWhileTraining() {
        let attention = MultiHeadAttention(modelSize: 8, headCount: 2, dropout: 0.5, using: &rng)
        let x = Tensor.normal([2, 4, 8], using: &rng)
        let training = attention(x, keys: x, values: x)
        attention.setTraining(false)
        let evaluation = attention(x, keys: x, values: x)
        #expect(training.scalars != evaluation.scalars)
        expectClose(attention(x, keys: x, values: x), evaluation)
    }

    @Test mutating func gradientsThroughAttention() {
        let attention = MultiHeadAttention(
            modelSize: 4, headCount: 2, keyValueHeadCount: 1, rotary: true, using: &rng)
        let queries = Tensor.normal([2, 3, 4], using: &rng)
        let keys = Tensor.normal([2, 4, 4], using: &rng)
        let values = Tensor.normal([2, 4, 4], using: &rng)
        let mask = AttentionMask.keyLengths([4, 2])
        expectGradientsMatch(
            { attention($0[0], keys: $0[1], values: $0[2], mask: mask) },
            at: [queries, keys, values])
        expectGradientsMatch(
            { attention($0, keys: $0, values: $0, mask: .causal) }, at: queries)
        expectParameterGradientsMatch(of: attention) {
            attention(queries, keys: keys, values: values, mask: mask)
        }
    }
}
