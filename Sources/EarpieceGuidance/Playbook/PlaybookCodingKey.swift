/// Any key of a playbook object, so that decoding can see the keys it does not know and refuse them.
struct PlaybookCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == PlaybookCodingKey {
    /// Refuses the first key (in sorted order, so the error is the same every time) that is not in `known`.
    func refuseUnknownKeys(_ known: [String]) throws(PlaybookError) {
        let unknown = allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
        guard let first = unknown.first else { return }
        throw PlaybookError(
            path: PlaybookError.path(codingPath + [PlaybookCodingKey(first)]),
            reason: "unknown key \(PlaybookError.quote(first)); known: \(known.sorted().joined(separator: ", "))")
    }

    /// The value at `key`, or `nil` when it is absent; a JSON `null` is refused like any other wrong type.
    func optional<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        let key = PlaybookCodingKey(key)
        guard contains(key) else { return nil }
        return try decode(T.self, forKey: key)
    }

    /// A whole number at `key`, or `nil` when absent. Read as a `Double` so that `60.0` is accepted and `60.5`
    /// is refused with a reason rather than the decoder's; the caller checks the range.
    func wholeNumber(_ key: String) throws -> Int? {
        guard let value = try optional(Double.self, key) else { return nil }
        guard value.rounded(.towardZero) == value else {
            throw PlaybookError(path: PlaybookError.path(codingPath + [PlaybookCodingKey(key)]), reason: "must be a whole number")
        }
        guard let whole = Int(exactly: value) else {
            throw PlaybookError(path: PlaybookError.path(codingPath + [PlaybookCodingKey(key)]), reason: "is out of range")
        }
        return whole
    }
}
