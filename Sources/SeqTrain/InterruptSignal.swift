import Dispatch
import Foundation
import Synchronization

/// Turns Ctrl-C (SIGINT) and SIGTERM into a flag the training loop polls, so it can save a
/// checkpoint and exit cleanly instead of dying mid-write.
///
/// A second Ctrl-C while the flag is already set exits at once with status 130.
public final class InterruptSignal: @unchecked Sendable {
    private let raised = Atomic<Bool>(false)
    /// Set once in `init`, then only cancelled in `deinit`.
    private let sources: [any DispatchSourceSignal]

    /// Starts catching SIGINT and SIGTERM until this object is released.
    public init() {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: number, queue: .global()))
        }
        self.sources = sources
        for source in sources {
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if self.raised.exchange(true, ordering: .relaxed) { exit(130) }
            }
            source.resume()
        }
    }

    deinit {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// Whether an interrupt has arrived.
    public var isRaised: Bool { raised.load(ordering: .relaxed) }
}
