/// What a job does. A call has at most one job of each kind.
public enum JobKind: String, Sendable, Codable, CaseIterable {
    /// Summarise the call once it has ended.
    case summary
}
