/// What a user may do in their organisation; a token carries one or more in its `roles` claim.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Streams calls and reads their own hints and summaries.
    case rep
    /// Sets retention and legal holds, rotates keys, retries dead-lettered jobs.
    case admin
    /// Reads the audit log.
    case auditor

    public var description: String { rawValue }
}
