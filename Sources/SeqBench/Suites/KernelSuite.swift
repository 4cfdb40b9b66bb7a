import Foundation
import Seq2Seq
import SeqKernels

/// `seq2seq bench kernels`: our GEMM, elementwise, softmax and layer-norm kernels against
/// direct BLAS calls and `memcpy`, then a Transformer training step.
package enum KernelSuite {
    /// Every comparison of the suite, in report order; inputs are built once, up front.
    package static func comparisons(quick: Bool) -> [Comparison] {
        var generator = SeededGenerator(seed: 42)
        var result: [Comparison] = []
        for size in [256, 512, 1024, 2048] {
            result.append(squareGEMM(size: size, quick: quick, using: &generator))
        }
        result.append(batchedAttention(quick: quick, using: &generator))
        result += elementwise(quick: quick, using: &generator)
        result += rowKernels(quick: quick, using: &generator)
        result.append(TrainStepSuite.encoderStep(quick: quick))
        return result
    }

    private static func squareGEMM(
        size: Int, quick: Bool, using generator: inout SeededGenerator
    ) -> Comparison {
        let a = Tensor.uniform([size, size], in: -1...1, using: &generator)
        let b = Tensor.uniform([size, size], in: -1...1, using: &generator)
        let c = Tensor.zeros([size, size])
        let repetitions = quick ? 2 : max(5, 50 * 256 / size)
        return Comparison(
            suite: "gemm", name: "square-\(size)", unit: "GFLOP/s",
            work: 2 * pow(Double(size), 3) / 1e9, warmup: quick ? 1 : 3,
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
            work: Double(2 * batch * rows * inner * columns) / 1e9, warmup: quick ? 1 : 5,
            repetitions: quick ? 2 : 40,
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

    private static func elementwise(
        quick: Bool, using generator: inout SeededGenerator
    ) -> [Comparison] {
        let count = 1 << 24
        let x = Tensor.uniform([count], in: -3...3, using: &generator)
        let y = Tensor.uniform([count], in: -3...3, using: &generator)
        let binaryBytes = 3 * 4 * count  // two operands read, one result written
        let unaryBytes = 2 * 4 * count
        return [
            bandwidth(
                suite: "elementwise", name: "add", bytes: binaryBytes, quick: quick,
                candidate: { withoutGradients { blackHole(x + y) } }),
            bandwidth(
                suite: "elementwise", name: "mul", bytes: binaryBytes, quick: quick,
                candidate: { withoutGradients { blackHole(x * y) } }),
            bandwidth(
                suite: "elementwise", name: "gelu", bytes: unaryBytes, quick: quick,
                candidate: { withoutGradients { blackHole(x.gelu()) } }),
        ]
    }

    private static func rowKernels(
        quick: Bool, using generator: inout SeededGenerator
    ) -> [Comparison] {
        let (rows, width) = (4096, 1024)
        let x = Tensor.normal([rows, width], using: &generator)
        let weight = Tensor.normal([width], using: &generator)
        let bias = Tensor.normal([width], using: &generator)
        let bytes = 2 * 4 * rows * width
        return [
            bandwidth(
                suite: "softmax", name: "\(rows)x\(width)", bytes: bytes, quick: quick,
                candidate: { withoutGradients { blackHole(x.softmax(axis: -1)) } }),
            bandwidth(
                suite: "layernorm", name: "\(rows)x\(width)", bytes: bytes, quick: quick,
                candidate: {
                    withoutGradients {
                        blackHole(x.layerNormalized(weight: weight, bias: bias, epsilon: 1e-5))
                    }
                }),
        ]
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
            warmup: quick ? 1 : 3, repetitions: quick ? 2 : 20, candidate: candidate,
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
