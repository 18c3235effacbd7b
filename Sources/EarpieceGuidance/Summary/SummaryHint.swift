/// A hint shown during the call and what the rep did with it, copied into the summary as the job passes it.
public struct SummaryHint: Sendable, Equatable, Codable {
    /// What the rep did with a hint.
    public enum Feedback: String, Sendable, Equatable, Codable {
        case used
        case dismissed
    }

    /// The hint's id in its call ("h-1").
    public var id: String
    public var kind: HintKind
    /// Where in the call's audio it was shown.
    public var audioTimeMs: Int
    /// Nil when the rep gave none.
    public var feedback: Feedback?

    public init(id: String, kind: HintKind, audioTimeMs: Int, feedback: Feedback? = nil) {
        self.id = id
        self.kind = kind
        self.audioTimeMs = audioTimeMs
        self.feedback = feedback
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, feedback
        case audioTimeMs = "audio_time_ms"
    }
}
