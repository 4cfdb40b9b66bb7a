import Foundation
import SeqDecode
import SeqInterop
import SeqModels
import SeqTensor
import SeqText
import SeqTrain
import Testing

/// Parity with transformers 4.46.3 on the tiny checkpoints (the shared Marian and T5 ones, and
/// the local BART and mBART ones): tokenizer ids, encoder states, teacher-forced logits and
/// every `generate()` mode.
@Suite struct CheckpointParityTests {
    /// The fixture, the imported model and its tokenizer.
    private func load(_ name: String) throws -> (
        CheckpointFixture, HuggingFaceCheckpoint, TransformerSeq2Seq
    ) {
        let fixture = try CheckpointFixture.load(name)
        let checkpoint = try HuggingFaceCheckpoint(
            contentsOf: try CheckpointFixture.directory(name))
        return (fixture, checkpoint, try checkpoint.makeModel())
    }

    @Test(arguments: CheckpointFixture.tokenizerNames)
    func tokenizerGivesTheReferenceIDs(name: String) throws {
        let (fixture, checkpoint, _) = try load(name)
        let tokenizer = try checkpoint.makeTokenizer()
        let end = try #require(tokenizer.endID)
        let reference = try #require(fixture.tokenizer)
        #expect(end == fixture.specialTokenIds.eos)
        for (index, text) in (fixture.inputs.texts ?? []).enumerated() {
            #expect(tokenizer.pieces(text) == reference.sourcePieces[index], "\(text)")
            #expect(tokenizer.encode(text) + [end] == fixture.inputs.tokenIdsUnpadded[index])
        }
        if let marian = tokenizer as? MarianTokenizer {
            let targets = zip(fixture.inputs.targetTexts ?? [], fixture.inputs.targetTokenIds ?? [])
            for (text, ids) in targets {
                #expect(marian.encode(target: text) + [end] == ids)
            }
        }
    }

    @Test(arguments: CheckpointFixture.allNames)
    func encoderMatches(name: String) throws {
        let (fixture, _, model) = try load(name)
        let sources = TokenBatch(
            rows: fixture.inputs.tokenIdsUnpadded, padID: fixture.specialTokenIds.pad)
        let memory = withoutGradients { model.encode(sources).memory }
        #expect(memory.shape == fixture.encoder.shape)
        let (length, width) = (memory.shape[1], memory.shape[2])
        let values = memory.scalars
        var worst: Float = 0
        for (row, positions) in fixture.encoder.firstValues.enumerated() {
            for (position, expected) in positions.enumerated() {
                let start = (row * length + position) * width
                for (offset, value) in expected.enumerated() {
                    worst = max(worst, abs(values[start + offset] - value))
                }
            }
        }
        #expect(worst <= 1e-4, "largest difference of the first values: \(worst)")
        expectChecksum(values, fixture.encoder.checksums.allPositions, "all positions")
        var valid: [Float] = []
        for (row, sourceLength) in sources.lengths.enumerated() {
            let rowValues = values[(row * length * width)..<((row * length + sourceLength) * width)]
            expectChecksum(
                rowValues, fixture.encoder.checksums.perSequenceValid[row], "sequence \(row)")
            valid += rowValues
        }
        expectChecksum(valid, fixture.encoder.checksums.validPositions, "valid positions")
    }

    @Test(arguments: CheckpointFixture.allNames)
    func decoderLogitsMatch(name: String) throws {
        let (fixture, _, model) = try load(name)
        let pad = fixture.specialTokenIds.pad
        let logits = withoutGradients {
            model.logits(
                sources: TokenBatch(rows: fixture.inputs.tokenIdsUnpadded, padID: pad),
                targetInputs: TokenBatch(rows: fixture.decoder.decoderInputIds, padID: pad))
        }
        #expect(logits.shape == fixture.decoder.logitsShape)
        let (length, width) = (logits.shape[1], logits.shape[2])
        let values = logits.scalars
        expectChecksum(values, fixture.decoder.checksums.all, "all logits")
        var worst: Float = 0
        for row in 0..<logits.shape[0] {
            for position in 0..<length {
                let start = (row * length + position) * width
                let rowLogits = values[start..<(start + width)]
                expectChecksum(
                    rowLogits, fixture.decoder.checksums.perPosition[row][position],
                    "row \(row) position \(position)")
                let best = rowLogits.indices.max { rowLogits[$0] < rowLogits[$1] } ?? start
                #expect(best - start == fixture.decoder.argmax[row][position])
                if position < fixture.decoder.fullLogitsPositions {
                    for (offset, expected) in fixture.decoder.fullLogits[row][position].enumerated()
                    {
                        worst = max(worst, abs(values[start + offset] - expected))
                    }
                }
            }
        }
        #expect(worst <= 1e-4, "largest logit difference: \(worst)")
    }

    @Test(arguments: CheckpointFixture.allNames)
    func stepwiseDecodingMatchesTheFullForward(name: String) throws {
        let (fixture, _, model) = try load(name)
        let pad = fixture.specialTokenIds.pad
        let targets = fixture.decoder.decoderInputIds
        let full = withoutGradients {
            model.logits(
                sources: TokenBatch(rows: fixture.inputs.tokenIdsUnpadded, padID: pad),
                targetInputs: TokenBatch(rows: targets, padID: pad)
            ).logSoftmax(axis: -1)
        }
        let (length, width) = (full.shape[1], full.shape[2])
        var state = model.start(sources: fixture.inputs.tokenIdsUnpadded)
        var worst: Float = 0
        for position in 0..<length {
            let step = model.step(&state, lastTokens: targets.map { $0[position] }).scalars
            for row in targets.indices {
                let start = (row * length + position) * width
                for token in 0..<width {
                    worst = max(worst, abs(step[row * width + token] - full.scalars[start + token]))
                }
            }
        }
        #expect(worst <= 1e-4, "largest log-probability difference: \(worst)")
    }

    @Test(arguments: CheckpointFixture.allNames, CheckpointFixture.modes)
    func generationMatches(name: String, mode: String) throws {
        let (fixture, checkpoint, model) = try load(name)
        let expected = try fixture.generation(mode)
        let settings = expected.settings
        var defaults = checkpoint.generation
        #expect(defaults.maxNewTokens == settings.maxNewTokens)
        #expect(defaults.badWords == (settings.badWordsIds ?? []))
        defaults.beamSize = settings.numBeams
        defaults.groups = settings.numBeamGroups
        defaults.diversityPenalty = settings.diversityPenalty
        defaults.lengthPenalty = settings.lengthPenalty
        defaults.earlyStopping = settings.earlyStopping ? .true : .false
        defaults.nBest = settings.numReturnSequences
        let results = withoutGradients {
            defaults.strategy(endID: model.endID).search(
                model, sources: fixture.inputs.tokenIdsUnpadded)
        }
        let rows = SearchResult.paddedSequences(results, startID: model.startID, padID: model.padID)
        #expect(rows == expected.sequences)
        let hypotheses = results.flatMap(\.hypotheses)
        for (index, hypothesis) in hypotheses.enumerated() {
            let label = "\(mode) row \(index)"
            #expect(hypothesis.isFinished == expected.finishedWithEos[index], "\(label)")
            #expect(
                abs(Double(hypothesis.sumLogProbabilities) - expected.sumLogprobs[index]) <= 1e-4,
                "\(label): sum_logprobs \(hypothesis.sumLogProbabilities)")
            if let scores = expected.sequencesScores {
                #expect(
                    abs(Double(hypothesis.score) - scores[index]) <= 1e-4,
                    "\(label): score \(hypothesis.score) vs \(scores[index])")
            }
        }
    }

    @Test(arguments: CheckpointFixture.tokenizerNames)
    func greedyOutputsDecodeToTheReferenceText(name: String) throws {
        let (fixture, checkpoint, _) = try load(name)
        let tokenizer = try checkpoint.makeTokenizer()
        let greedy = try fixture.generation("greedy")
        for (row, text) in zip(greedy.sequences, greedy.decodedText) {
            #expect(tokenizer.decode(Array(row.dropFirst())) == text)
        }
    }
}
