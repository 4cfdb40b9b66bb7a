import Dispatch
import Foundation

/// The number of cores our own kernels split work across.
package let kernelThreadCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// Runs `body` over `0..<count` in contiguous chunks across cores; small jobs run inline.
///
/// `minimumChunk` is the smallest amount of work worth a thread. Chunks never depend on
/// anything but `count` and the core count, and callers that reduce across chunks use
/// fixed-size chunks of their own so that results do not depend on the core count.
package func parallelFor(
    _ count: Int, minimumChunk: Int, _ body: @Sendable (Range<Int>) -> Void
) {
    guard count > 0 else { return }
    let workers = min(kernelThreadCount, max(1, count / max(1, minimumChunk)))
    guard workers > 1 else { return body(0..<count) }
    let chunk = (count + workers - 1) / workers
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let start = worker * chunk
        if start < count { body(start..<min(start + chunk, count)) }
    }
}
