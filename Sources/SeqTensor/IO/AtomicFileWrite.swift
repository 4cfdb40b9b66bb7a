import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a file could not be written; callers wrap it in their own error type.
package struct FileWriteError: Error, CustomStringConvertible, Sendable {
    /// The file or directory involved.
    package let path: String
    /// What failed, with the system's reason.
    package let reason: String

    /// `"<path>: <reason>"`.
    package var description: String { "\(path): \(reason)" }
}

/// Replaces `url` with `data` so that a crash leaves either the old file or the new one.
///
/// Writes a temporary file in the same directory, flushes it to disk, renames it over `url`,
/// then flushes the directory entry. On failure the temporary file is removed and `url` is
/// untouched.
///
/// - Throws: `FileWriteError` naming the path and the system's reason.
package func writeFileAtomically(_ data: Data, to url: URL) throws {
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(
        ".\(url.lastPathComponent).\(UUID().uuidString).partial")
    do {
        try writeDurably(data, to: temporary)
        try renameItem(temporary, to: url)
    } catch {
        // The temporary file may not exist if creating it failed; nothing else to clean up.
        try? FileManager.default.removeItem(at: temporary)
        throw error
    }
    syncDirectory(directory)
}

/// Creates the new file `url` with `data` and flushes it to disk before returning.
///
/// - Throws: `FileWriteError` if `url` exists or cannot be created, written or flushed.
package func writeDurably(_ data: Data, to url: URL) throws {
    let path = url.path
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
        throw FileWriteError(path: path, reason: "cannot create the file (\(systemError()))")
    }
    var failure: String? = nil
    data.withUnsafeBytes { bytes in
        guard let base = bytes.baseAddress else { return }
        var written = 0
        while written < bytes.count {
            let result = write(descriptor, base + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                failure = "cannot write the file (\(systemError()))"
                return
            }
            written += result
        }
    }
    if failure == nil, fsync(descriptor) != 0 {
        failure = "cannot flush the file to disk (\(systemError()))"
    }
    if close(descriptor) != 0, failure == nil {
        failure = "cannot close the file (\(systemError()))"
    }
    if let failure { throw FileWriteError(path: path, reason: failure) }
}

/// Renames `source` to `destination` in one step, replacing a file (or an empty directory)
/// already at `destination`.
///
/// - Throws: `FileWriteError` naming `destination` and the system's reason.
package func renameItem(_ source: URL, to destination: URL) throws {
    guard rename(source.path, destination.path) == 0 else {
        throw FileWriteError(
            path: destination.path,
            reason: "cannot rename \(source.lastPathComponent) into place (\(systemError()))")
    }
}

/// Flushes the entries of `directory` (new names, renames) to disk.
///
/// Best effort: some file systems do not support flushing a directory, and the data itself is
/// already flushed by then.
package func syncDirectory(_ directory: URL) {
    let descriptor = open(directory.path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    _ = close(descriptor)
}

/// The message of the current `errno`.
private func systemError() -> String { String(cString: strerror(errno)) }
