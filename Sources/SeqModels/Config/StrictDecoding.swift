// Decoding for configs that are written by hand: an unknown key (a typo) is an error rather
// than a silently ignored setting, a missing key takes its documented default, and a value of
// the wrong type is reported by key.

extension Decoder {
    /// The keyed container of a config, after checking that every key present is one of
    /// `Key`'s cases.
    ///
    /// ```swift
    /// public init(from decoder: any Decoder) throws {
    ///     let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
    ///     headCount = try container.decode(forKey: .headCount, default: 8)
    /// }
    /// ```
    ///
    /// - Throws: `ConfigError` naming the first unknown key in sorted order, with the closest
    ///   known key as a suggestion when one is close; a `DecodingError` if the value is not a
    ///   keyed container at all.
    public func strictContainer<Key: CodingKey & CaseIterable>(
        keyedBy type: Key.Type
    ) throws -> KeyedDecodingContainer<Key> {
        let known = Key.allCases.map(\.stringValue)
        let present = try container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
        let knownSet = Set(known)
        if let unknown = present.filter({ !knownSet.contains($0) }).sorted().first {
            var detail = "is not a known key"
            if let suggestion = closestKey(to: unknown, among: known) {
                detail += " (did you mean `\(suggestion)`?)"
            }
            let error = ConfigError(key: unknown, detail: detail)
            throw error.prefixed(by: codingPath)
        }
        return try container(keyedBy: type)
    }
}

extension KeyedDecodingContainer {
    /// The value under `key`, or `defaultValue` when the key is absent (or `null`).
    ///
    /// - Throws: `ConfigError` naming the key when the value has the wrong type.
    public func decode<Value: Decodable>(forKey key: Key, default defaultValue: Value) throws
        -> Value
    {
        do {
            return try decodeIfPresent(Value.self, forKey: key) ?? defaultValue
        } catch let error as DecodingError {
            throw ConfigError(key: dottedPath(codingPath + [key]), detail: describe(error))
        }
    }

    /// The case named by the string under `key`, or `defaultValue` when the key is absent.
    ///
    /// - Throws: `ConfigError` naming the key and listing the valid names when the string
    ///   names no case.
    public func decode<Value: Decodable & CaseIterable & RawRepresentable>(
        forKey key: Key, default defaultValue: Value
    ) throws -> Value where Value.RawValue == String {
        let name: String? = try decode(forKey: key, default: nil)
        guard let name else { return defaultValue }
        guard let value = Value(rawValue: name) else {
            let choices = Value.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            throw ConfigError(
                key: dottedPath(codingPath + [key]),
                detail: "= \"\(name)\" is not one of \(choices)")
        }
        return value
    }
}

/// Any key, to list the keys a container holds.
private struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// A short reason for a decoding failure, without the coding path (the key says it).
private func describe(_ error: DecodingError) -> String {
    switch error {
    case .typeMismatch(let type, _): return "has the wrong type (expected \(type))"
    case .valueNotFound(let type, _): return "is missing a value (expected \(type))"
    case .keyNotFound(let key, _): return "lacks the key `\(key.stringValue)`"
    case .dataCorrupted(let context): return "is invalid (\(context.debugDescription))"
    @unknown default: return "is invalid (\(error))"
    }
}

/// The known key nearest to `key` (case-insensitively equal, or at most two edits away).
private func closestKey(to key: String, among known: [String]) -> String? {
    let lowered = key.lowercased()
    let scored = known.map { (name: $0, distance: editDistance(lowered, $0.lowercased())) }
    guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= 2 else {
        return nil
    }
    return best.name
}

/// The Levenshtein distance between two strings, over characters.
private func editDistance(_ a: String, _ b: String) -> Int {
    let (a, b) = (Array(a), Array(b))
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + [Int](repeating: 0, count: b.count)
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        previous = current
    }
    return previous[b.count]
}
