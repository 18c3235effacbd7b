/// What a load of the JWKS file took and what it left out, for the operator's log.
public struct JWKSLoadReport: Sendable, Equatable, CustomStringConvertible {
    /// A key in the file that Earpiece does not use, and why.
    public struct SkippedKey: Sendable, Equatable, CustomStringConvertible {
        /// The key's `kid` in printable form, if it had one.
        public let keyID: String?
        public let reason: String

        public var description: String { "\(keyID.map { "key \"\($0)\"" } ?? "a key without kid"): \(reason)" }
    }

    /// The file read.
    public let path: String
    /// The `kid`s of the ES256 keys now trusted, in file order.
    public let keyIDs: [String]
    public let skipped: [SkippedKey]

    public var description: String {
        var text = "\(path): \(keyIDs.count) ES256 key(s) [\(keyIDs.joined(separator: ", "))]"
        if !skipped.isEmpty { text += "; skipped \(skipped.map(\.description).joined(separator: "; "))" }
        return text
    }
}
