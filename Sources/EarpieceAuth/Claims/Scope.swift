/// Something a token may do beyond its roles; a token carries it in its `scope` (or `scp`) claim.
///
/// Scopes narrow what a role may see on one stream: a `rep` streams calls and gets hints, and only a token that
/// also carries ``transcriptRead`` gets the call's live transcript. Names are case-sensitive, as in OAuth.
public enum Scope: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Receives `transcript` messages on the stream: what each speaker said, as the recognizer hears it.
    case transcriptRead = "transcript:read"

    public var description: String { rawValue }
}
