/// Thrown when task settings are out of range: the message names the setting and its value.
public struct TaskSettingsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, naming the setting.
    public let description: String

    /// Creates an error with its message.
    public init(_ description: String) { self.description = description }
}
