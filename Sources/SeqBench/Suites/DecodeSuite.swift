import Foundation
import Seq2Seq

/// The `seq2seq bench decode` suite: decoding latency, throughput and peak memory of one
/// encoder–decoder model on fixed inputs.
///
/// Every case decodes sources of 32 tokens (31 ids and the end id, `sources()`) and generates
/// exactly 32 new tokens (`minNewTokens == maxNewTokens`, so the end token cannot stop a row
/// early), with the model's `padID` banned as Marian checkpoints ban it. The peers are
/// `bench/peers/hf_generate.py` (Hugging Face `generate`) and
/// `bench/peers/ctranslate2_decode.py` (CTranslate2), which measure the same cases on the same
/// ids; `bench/compare_decode.sh` runs all three in one session.
package enum DecodeSuite {
    /// Sources per batch, tokens per source and new tokens per output.
    package static let (sentenceCount, sourceLength, newTokens) = (32, 32, 32)

    /// The reference model's configuration: Marian's architecture (post-norm, SiLU,
    /// sinusoidal positions with all sines first, √d-scaled shared embeddings, tied output
    /// projection with a logits bias) with d = 256, 4 heads, FFN 1024, 3 + 3 layers and a
    /// vocabulary of 8000 (end id 0, padding and decoder start 7999).
    package static var referenceConfig: TransformerConfig {
        var config = TransformerConfig()
        config.vocabularySize = 8000
        config.modelSize = 256
        config.headCount = 4
        config.feedForwardSize = 1024
        config.encoderLayerCount = 3
        config.decoderLayerCount = 3
        config.activation = .silu
        config.normalizationPosition = .post
        config.positions = .sinusoidal
        config.sinusoidalLayout = .halves
        config.finalLogitsBias = true
        config.sharedEmbeddings = true
        config.tiedOutputProjection = true
        config.padID = 7999
        config.startID = 7999
        config.endID = 0
        return config
    }

    /// The reference model with weights drawn from a fixed seed, in evaluation mode.
    package static func referenceModel() -> TransformerSeq2Seq {
        var generator = SeededGenerator(seed: 1234)
        let model = TransformerSeq2Seq(config: referenceConfig, using: &generator)
        model.setTraining(false)
        return model
    }

    /// The encoder–decoder model of the model directory at `directory` (as `seq2seq train` or
    /// `seq2seq import hf` write it), in evaluation mode, its weights read straight into the
    /// parameters (`Module.loadInPlace(contentsOf:)`), without the tokenizer.
    ///
    /// - Throws: `TrainingError` naming `config.json` when it is missing, malformed or not an
    ///   encoder–decoder Transformer; `CheckpointError` naming the weights file.
    package static func model(contentsOf directory: URL) throws -> TransformerSeq2Seq {
        let configURL = directory.appendingPathComponent(Checkpoint.configFile)
        let description: ModelDescription
        do {
            description = try JSONDecoder().decode(
                ModelDescription.self, from: Data(contentsOf: configURL))
        } catch {
            throw TrainingError(file: configURL.path, detail: "not a model description (\(error))")
        }
        guard description.architecture == .transformer, let config = description.model.transformer
        else {
            throw TrainingError(
                file: configURL.path,
                detail:
                    "architecture \(description.architecture.rawValue) is not an encoder–decoder")
        }
        var generator = SeededGenerator(seed: 0)
        let model = TransformerSeq2Seq(config: config, using: &generator)
        try model.loadInPlace(contentsOf: directory.appendingPathComponent(Checkpoint.weightsFile))
        model.setTraining(false)
        return model
    }

    /// The 32 fixed sources: 31 ids in `2...7998` from SplitMix64, then the end id `0`.
    ///
    /// `bench/peers/decode_inputs.py` builds the same ids.
    package static func sources() -> [[Int32]] {
        (0..<sentenceCount).map { sentence in
            (0..<(sourceLength - 1)).map { token in
                Int32(2 + splitMix64(UInt64(sentence * 64 + token)) % 7997)
            } + [0]
        }
    }

    /// Every case of the suite, in report order.
    ///
    /// `peak-rss` comes last and covers the whole run. `model` is called once, when the first
    /// case runs.
    package static func cases<Model: IncrementalDecoder>(
        quick: Bool, model makeModel: @escaping () -> Model
    ) -> [BenchCase] {
        let shared = SharedModel(make: makeModel)
        let (warmup, repetitions) = quick ? (0, 1) : (2, 10)
        func timed(
            _ name: String, unit: String, work: Double?, sources: [[Int32]],
            repetitions: Int, _ body: @escaping (Model, [[Int32]]) -> Void
        ) -> BenchCase {
            BenchCase(suite: "decode", name: name) {
                let model = shared.model
                return Comparison(
                    suite: "decode", name: name, unit: unit, work: work, warmup: warmup,
                    repetitions: repetitions,
                    candidate: { withoutGradients { body(model, sources) } }, reference: nil)
            }
        }
        let all = sources()
        let one = [all[0]]
        return [
            timed("greedy-b1", unit: "ms", work: nil, sources: one, repetitions: repetitions) {
                blackHole(greedy($0).search($0, sources: $1))
            },
            timed("first-token-b1", unit: "ms", work: nil, sources: one, repetitions: repetitions) {
                blackHole(firstToken($0, sources: $1))
            },
            timed("beam4-b1", unit: "ms", work: nil, sources: one, repetitions: repetitions) {
                blackHole(beam($0, size: 4).search($0, sources: $1))
            },
            timed(
                "greedy-b32", unit: "tokens/s", work: Double(sentenceCount * newTokens),
                sources: all, repetitions: quick ? 1 : max(1, repetitions / 2)
            ) {
                blackHole(greedy($0).search($0, sources: $1))
            },
            BenchCase(suite: "decode", name: "peak-rss") {
                BenchResult(
                    suite: "decode", case: "peak-rss", unit: "MiB", ours: peakResidentMiB(),
                    reference: nil, ratio: nil, repetitions: 1)
            },
        ]
    }

    /// Exactly `newTokens` new tokens, the model's padding banned.
    private static func length<Model: IncrementalDecoder>(
        _ model: Model
    ) -> (LengthLimit, [any LogitProcessor]) {
        let banned: [any LogitProcessor] =
            model.padID == model.endID ? [] : [BadWords([[model.padID]])]
        return (LengthLimit(maxNewTokens: newTokens, minNewTokens: newTokens), banned)
    }

    /// Greedy search for the suite's cases.
    package static func greedy<Model: IncrementalDecoder>(_ model: Model) -> GreedySearch {
        let (limit, processors) = length(model)
        return GreedySearch(length: limit, processors: processors)
    }

    /// Beam search of `size` beams (length penalty 1) for the suite's cases.
    private static func beam<Model: IncrementalDecoder>(_ model: Model, size: Int) -> BeamSearch {
        let (limit, processors) = length(model)
        return BeamSearch(beamSize: size, length: limit, processors: processors)
    }

    /// Encodes `sources` and returns the log-probabilities of the first new token.
    private static func firstToken<Model: IncrementalDecoder>(
        _ model: Model, sources: [[Int32]]
    ) -> Tensor {
        var state = model.start(sources: sources)
        return model.step(
            &state, lastTokens: Array(repeating: model.startID, count: sources.count))
    }
}

/// Builds the model on first use and keeps it for every later case.
private final class SharedModel<Model> {
    private let make: () -> Model
    private var built: Model?

    init(make: @escaping () -> Model) { self.make = make }

    var model: Model {
        if let built { return built }
        let model = make()
        built = model
        return model
    }
}

/// One SplitMix64 output for `state` (Steele, Lea and Flood, 2014).
private func splitMix64(_ state: UInt64) -> UInt64 {
    var z = state &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// The process's peak resident set size (`VmHWM` in `/proc/self/status`) in MiB, or `0`
/// where that file does not exist.
private func peakResidentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
    else { return 0 }
    return kibibytes / 1024
}
