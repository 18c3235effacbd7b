/// Advice for the rep, decided at one point of the call's audio and explained by what triggered it.
///
/// Encodes with the wire protocol's keys (`audio_time_ms`, …); the gateway's message encoder adds `"type":"hint"`.
public struct Hint: Sendable, Equatable, Codable {
    /// Unique within the call ("h-1", "h-2", …).
    public var id: String
    public var kind: HintKind
    /// Whom the hint is about.
    public var speaker: Speaker
    /// Where in the call's audio the hint was decided: the end of the frame that crossed its threshold, in ms.
    public var audioTimeMs: Int
    /// A few words the rep can take in at a glance.
    public var title: String
    /// What to do about it.
    public var body: String
    /// What caused the hint, in measured terms.
    public var trigger: String
    /// How sure the measurement behind the hint is, 0…1.
    public var confidence: Double
    /// A `competitor_mention`'s competitor, as the playbook names it; absent when unknown or for other kinds.
    public var competitor: String?

    public init(id: String, kind: HintKind, speaker: Speaker, audioTimeMs: Int, title: String, body: String,
                trigger: String, confidence: Double, competitor: String? = nil) {
        self.id = id
        self.kind = kind
        self.speaker = speaker
        self.audioTimeMs = audioTimeMs
        self.title = title
        self.body = body
        self.trigger = trigger
        self.confidence = confidence
        self.competitor = competitor
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, speaker, title, body, trigger, confidence, competitor
        case audioTimeMs = "audio_time_ms"
    }
}
