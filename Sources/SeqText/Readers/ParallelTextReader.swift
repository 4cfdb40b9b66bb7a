import Foundation

/// A source sentence and its target.
public struct TextPair: Sendable, Hashable, Codable {
    /// The source-side text.
    public var source: String
    /// The target-side text.
    public var target: String

    /// Creates a pair.
    public init(source: String, target: String) {
        self.source = source
        self.target = target
    }
}

/// Reads a parallel corpus stored as two files with one sentence per line (line i of the source
/// file translates line i of the target file), streaming, UTF-8, gzip read transparently.
public struct ParallelTextReader: Sendable {
    /// The source-side file.
    public let sourceFile: URL
    /// The target-side file.
    public let targetFile: URL

    /// A reader of `source` and `target`; nothing is opened until reading.
    public init(source: URL, target: URL) {
        sourceFile = source
        targetFile = target
    }

    /// Calls `body` with each pair in file order.
    ///
    /// When the files have different numbers of lines, `body` has already seen the pairs both
    /// files have, and the error names both files and both line counts.
    public func forEachPair(_ body: (TextPair) throws -> Void) throws {
        let sources = try LineReader(contentsOf: sourceFile)
        let targets = try LineReader(contentsOf: targetFile)
        while true {
            let source = try sources.nextLine()
            let target = try targets.nextLine()
            switch (source, target) {
            case let (source?, target?):
                try body(TextPair(source: source, target: target))
            case (nil, nil):
                return
            case (_?, nil), (nil, _?):
                let sourceCount = try sources.countRemainingLines()
                let targetCount = try targets.countRemainingLines()
                throw ReaderError(
                    kind: .lineCountMismatch, file: sources.file, line: nil,
                    detail: "\(sources.file) has \(lineCount(sourceCount)), "
                        + "\(targets.file) has \(lineCount(targetCount))")
            }
        }
    }

    /// Every pair, in file order.
    public func readAll() throws -> [TextPair] {
        var pairs: [TextPair] = []
        try forEachPair { pairs.append($0) }
        return pairs
    }
}
