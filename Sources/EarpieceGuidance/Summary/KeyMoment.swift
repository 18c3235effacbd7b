/// A moment of the call worth a look, chosen by `KeyMomentRanking`.
public struct KeyMoment: Sendable, Equatable, Codable {
    /// What made the moment.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// The call's longest turn.
        case monologue
        /// Nobody spoke for more than the configured silence.
        case longSilence = "long_silence"
        /// A hint the rep marked used.
        case hintUsed = "hint_used"
        /// An utterance that earned an intent.
        case intent
    }

    public var atMs: Int
    public var kind: Kind
    /// Who, where it is someone's moment (a monologue, an intent).
    public var speaker: Speaker?
    /// The intent's or hint's kind name.
    public var label: String?
    /// How long a monologue or silence lasted.
    public var durationMs: Int?

    public init(atMs: Int, kind: Kind, speaker: Speaker? = nil, label: String? = nil, durationMs: Int? = nil) {
        self.atMs = atMs
        self.kind = kind
        self.speaker = speaker
        self.label = label
        self.durationMs = durationMs
    }

    enum CodingKeys: String, CodingKey {
        case kind, speaker, label
        case atMs = "at_ms"
        case durationMs = "duration_ms"
    }
}
