import Foundation
import Seq2Seq
import SeqKernels

/// `seq2seq bench kernels`: our GEMM, elementwise, softmax and layer-norm kernels against
/// direct BLAS calls and `memcpy`, then a Transformer training step.
package enum KernelSuite {
    /// Every case of the suite, in report order.
    ///
    /// Inputs are built only when a case runs.
    package static func cases(quick: Bool) -> [BenchCase] {
        var cases = [256, 512, 1024, 2048].map { size in
            BenchCase(suite: "gemm", name: "square-\(size)") {
                var generator = SeededGenerator(seed: UInt64(size))
                return squareGEMM(size: size, quick: quick, using: &generator)
            }
        }
        cases.append(
            BenchCase(suite: "gemm", name: "batched-attention") {
                var generator = SeededGenerator(seed: 1)
                return batchedAttention(quick: quick, using: &generator)
            })
        for name in ["add", "mul", "gelu"] {
            cases.append(
                BenchCase(suite: "elementwise", name: name) {
                    elementwise(name, quick: quick)
                })
        }
        for suite in ["softmax", "layernorm"] {
            cases.append(
                BenchCase(suite: suite, name: "4096x1024") { rowKernel(suite, quick: quick) })
        }
        cases.append(
            BenchCase(suite: "train_step", name: "encoder-2x256") {
                TrainStepSuite.encoderStep(quick: quick)
            })
        return cases
    }

    private static func squareGEMM(
        size: Int, quick: Bool, using generator: inout SeededGenerator
    ) -> Comparison {
        let a = Tensor.uniform([size, size], in: -1...1, using: &generator)
        let b = Tensor.uniform([size, size], in: -1...1, using: &generator)
        let c = Tensor.zeros([size, size])
        let repetitions = quick ? 1 : max(5, 50 * 256 / size)
        return Comparison(
            suite: "gemm", name: "square-\(size)", unit: "GFLOP/s",
            work: 2 * pow(Double(size), 3) / 1e9, warmup: quick ? 0 : 3,
            repetitions: repetitions,
            candidate: { withoutGradients { blackHole(a.matmul(b)) } },
            reference: {
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        c.withUnsafeBufferPointer { c in
                            referenceSgemm(
                                pointer(a), pointer(b), UnsafeMutablePointer(mutating: pointer(c)),
                                m: size, n: size, k: size)
                        }
                    }
                }
            })
    }

    private static func batchedAttention(
        quick: Bool, using generator: inout SeededGenerator
    ) -> Comparison {
        let (batch, rows, inner, columns) = (64, 128, 64, 128)
        let a = Tensor.uniform([batch, rows, inner], in: -1...1, using: &generator)
        let b = Tensor.uniform([batch, inner, columns], in: -1...1, using: &generator)
        let c = Tensor.zeros([batch, rows, columns])
        return Comparison(
            suite: "gemm", name: "batched-attention", unit: "GFLOP/s",
            work: Double(2 * batch * rows * inner * columns) / 1e9, warmup: quick ? 0 : 5,
            repetitions: quick ? 1 : 40,
            candidate: { withoutGradients { blackHole(a.matmul(b)) } },
            reference: {
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        c.withUnsafeBufferPointer { c in
                            let out = UnsafeMutablePointer(mutating: pointer(c))
                            for index in 0..<batch {
                                referenceSgemm(
                                    pointer(a) + index * rows * inner,
                                    pointer(b) + index * inner * columns,
                                    out + index * rows * columns,
                                    m: rows, n: columns, k: inner)
                            }
                        }
                    }
                }
            })
    }

    private static func elementwise(_ name: String, quick: Bool) -> Comparison {
        let count = 1 << 24
        var generator = SeededGenerator(seed: 2)
        let x = Tensor.uniform([count], in: -3...3, using: &generator)
        let y = Tensor.uniform([count], in: -3...3, using: &generator)
        let binaryBytes = 3 * 4 * count  // two operands read, one result written
        switch name {
        case "add":
            return bandwidth(
                suite: "elementwise", name: name, bytes: binaryBytes, quick: quick,
                candidate: { withoutGradients { blackHole(x + y) } })
        case "mul":
            return bandwidth(
                suite: "elementwise", name: name, bytes: binaryBytes, quick: quick,
                candidate: { withoutGradients { blackHole(x * y) } })
        default:
            return bandwidth(
                suite: "elementwise", name: name, bytes: 2 * 4 * count, quick: quick,
                candidate: { withoutGradients { blackHole(x.gelu()) } })
        }
    }

    private static func rowKernel(_ suite: String, quick: Bool) -> Comparison {
        let (rows, width) = (4096, 1024)
        var generator = SeededGenerator(seed: 3)
        let x = Tensor.normal([rows, width], using: &generator)
        let weight = Tensor.normal([width], using: &generator)
        let bias = Tensor.normal([width], using: &generator)
        let bytes = 2 * 4 * rows * width  // the input read, the output written
        if suite == "softmax" {
            return bandwidth(
                suite: suite, name: "\(rows)x\(width)", bytes: bytes, quick: quick,
                candidate: { withoutGradients { blackHole(x.softmax(axis: -1)) } })
        }
        return bandwidth(
            suite: suite, name: "\(rows)x\(width)", bytes: bytes, quick: quick,
            candidate: {
                withoutGradients {
                    blackHole(x.layerNormalized(weight: weight, bias: bias, epsilon: 1e-5))
                }
            })
    }

    /// A bandwidth case whose reference is `memcpy` moving the same number of bytes: a copy of
    /// `n` bytes reads `n` and writes `n`, so it copies half of `bytes`.
    private static func bandwidth(
        suite: String, name: String, bytes: Int, quick: Bool, candidate: @escaping () -> Void
    ) -> Comparison {
        let copied = bytes / 2
        let buffers = CopyBuffers(byteCount: copied)
        return Comparison(
            suite: suite, name: name, unit: "GB/s", work: Double(bytes) / 1e9,
            warmup: quick ? 0 : 3, repetitions: quick ? 1 : 20, candidate: candidate,
            reference: { memcpy(buffers.destination, buffers.source, copied) })
    }
}

/// Source and destination of a `memcpy` reference, touched once so no page faults are timed.
private final class CopyBuffers {
    let source: UnsafeMutableRawPointer
    let destination: UnsafeMutableRawPointer

    init(byteCount: Int) {
        source = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        destination = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        source.initializeMemory(as: UInt8.self, repeating: 1, count: byteCount)
        destination.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    }

    deinit {
        source.deallocate()
        destination.deallocate()
    }
}

/// The base address of a buffer that is never empty here.
private func pointer(_ buffer: UnsafeBufferPointer<Float>) -> UnsafePointer<Float> {
    guard let base = buffer.baseAddress else {
        preconditionFailure("bench: empty tensor buffer")
    }
    return base
}
