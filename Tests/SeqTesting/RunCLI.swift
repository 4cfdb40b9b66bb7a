import Foundation

/// What a run of the `seq2seq` binary produced.
public struct CLIRun: Sendable {
    /// The exit status.
    public let status: Int32
    /// Everything written to standard output.
    public let standardOutput: String
    /// Everything written to standard error.
    public let standardError: String
}

/// Runs the `seq2seq` executable built next to this test bundle.
///
/// - Parameters:
///   - arguments: The command line after the program name.
///   - input: Text written to the process's standard input, then closed.
/// - Returns: The exit status and everything the process wrote.
/// - Throws: When the process cannot be started.
public func runCLI(_ arguments: [String], input: String? = nil) throws -> CLIRun {
    let process = Process()
    process.executableURL = seq2seqExecutable()
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    // Read both pipes concurrently so neither fills up and blocks the child.
    nonisolated(unsafe) var errorData = Data()  // written by the reader, read after wait()
    let readers = DispatchGroup()
    DispatchQueue.global().async(group: readers) {
        errorData = errors.fileHandleForReading.readDataToEndOfFile()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    readers.wait()
    process.waitUntilExit()
    return CLIRun(
        status: process.terminationStatus,
        standardOutput: String(decoding: outputData, as: UTF8.self),
        standardError: String(decoding: errorData, as: UTF8.self))
}

/// Starts the `seq2seq` executable with `arguments` in the background, its output discarded.
///
/// - Returns: The running process.
/// - Throws: When the process cannot be started.
public func startCLI(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = seq2seqExecutable()
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// The `seq2seq` binary in the build folder that holds the running test bundle.
private func seq2seqExecutable() -> URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("seq2seq")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("seq2seq")
}
