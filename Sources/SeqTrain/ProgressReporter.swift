import Foundation

/// Shows training progress: a one-line bar redrawn in place on a terminal (loss, tokens per
/// second, learning rate, ETA), or plain lines every `interval` steps when not a terminal.
public struct ProgressReporter {
    private let isTerminal: Bool
    private let interval: Int
    private var lastWidth = 0

    /// Reports to standard error; `interval` is the step spacing of plain lines.
    public init(interval: Int) {
        isTerminal = isatty(STDERR_FILENO) != 0
        self.interval = max(1, interval)
    }

    /// Reports the state after `step` of at most `totalSteps` (`nil` when bounded by time).
    public mutating func update(
        step: Int, totalSteps: Int?, loss: Double, tokensPerSecond: Double,
        learningRate: Float, secondsLeft: Double?
    ) {
        let eta = secondsLeft.map { " ETA \(formatDuration($0))" } ?? ""
        let of = totalSteps.map { "/\($0)" } ?? ""
        let text = String(
            format: "step %d%@  loss %.4f  %.0f tok/s  lr %.2e%@", step, of, loss,
            tokensPerSecond, learningRate, eta)
        if isTerminal {
            let bar = totalSteps.map { progressBar(Double(step) / Double(max(1, $0))) } ?? ""
            let line = bar + text
            let padding = String(repeating: " ", count: max(0, lastWidth - line.count))
            FileHandle.standardError.write(Data(("\r" + line + padding).utf8))
            lastWidth = line.count
        } else if step % interval == 0 {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Prints `message` on its own line, below any bar.
    public mutating func message(_ message: String) {
        let prefix = isTerminal && lastWidth > 0 ? "\n" : ""
        FileHandle.standardError.write(Data((prefix + message + "\n").utf8))
        lastWidth = 0
    }

    private func progressBar(_ fraction: Double) -> String {
        let width = 20
        let filled = Int((min(1, max(0, fraction)) * Double(width)).rounded(.down))
        return "[" + String(repeating: "#", count: filled)
            + String(repeating: "-", count: width - filled) + "] "
    }
}

/// `1h02m`, `3m05s` or `42s`.
func formatDuration(_ seconds: Double) -> String {
    let total = Int(max(0, seconds).rounded())
    if total >= 3600 { return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60) }
    if total >= 60 { return String(format: "%dm%02ds", total / 60, total % 60) }
    return "\(total)s"
}
