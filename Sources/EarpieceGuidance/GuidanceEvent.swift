/// What the guidance loop tells the gateway, in the order of the audio that caused it.
public enum GuidanceEvent: Sendable, Equatable {
    /// Advice to show the rep now.
    case hint(Hint)
    /// The conversation's dynamics, once per second of audio.
    case dynamics(DynamicsSnapshot)
    /// What a speaker said, as the recognizer has it so far (transcript tier only).
    case transcript(TranscriptLine)
    /// The call moved to a cheaper tier because it fell behind real time.
    case tierChanged(GuidanceTier, audioTimeMs: Int)

    /// The audio time the event belongs to, in milliseconds.
    public var audioTimeMs: Int {
        switch self {
        case .hint(let hint): hint.audioTimeMs
        case .dynamics(let snapshot): snapshot.audioTimeMs
        case .transcript(let line): line.endMs
        case .tierChanged(_, let audioTimeMs): audioTimeMs
        }
    }
}
