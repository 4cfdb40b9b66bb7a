/// Thrown when a model config is malformed or contradicts itself; names the key at fault.
///
/// The description reads ``config: `headCount` = 3 does not divide `modelSize` = 256``.
/// Keys of nested configs carry their path, such as `model.headCount`.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The dotted path of the offending key, such as `headCount` or `model.headCount`.
    public let key: String
    /// What is wrong with it, written to follow the key, such as
    /// ``= 3 does not divide `modelSize` = 256``.
    public let detail: String

    /// Creates an error about `key`.
    public init(key: String, detail: String) {
        self.key = key
        self.detail = detail
    }

    /// ``config: `<key>` <detail>``.
    public var description: String { "config: `\(key)` \(detail)" }

    /// The same error with `path` (the coding path of the config itself) in front of the key.
    package func prefixed(by path: [any CodingKey]) -> ConfigError {
        guard !path.isEmpty else { return self }
        return ConfigError(key: dottedPath(path) + "." + key, detail: detail)
    }
}

/// `a.b.0.c` for a coding path; array indices are written as numbers.
func dottedPath(_ path: [any CodingKey]) -> String {
    path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
}
