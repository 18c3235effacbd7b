/// The conversation's dynamics at one moment of the call's audio, sent to the client once per second.
///
/// Encodes as `docs/protocol.md` specifies the `dynamics` message (the gateway adds `"type"`):
/// `{"audio_time_ms":…,"talk_share":{"rep":0.8,"customer":0.2},"speaking":{"rep":true,"customer":false},
/// "silence_ms":0,"monologue":{"speaker":"rep","ms":4200},"overlap_ms":0}`, with `"monologue":null` when
/// nobody holds one.
public struct DynamicsSnapshot: Sendable, Equatable, Codable {
    /// The longest monologue still open.
    public struct Monologue: Sendable, Equatable, Codable {
        public var speaker: Speaker
        /// Its length so far, in milliseconds.
        public var ms: Int

        public init(speaker: Speaker, ms: Int) {
            self.speaker = speaker
            self.ms = ms
        }
    }

    /// Position in the call's audio, in milliseconds.
    public var audioTimeMs: Int
    /// Each speaker's share of all talk over the trailing window (3 minutes, or the call so far), 0…1.
    public var talkShare: [Speaker: Double]
    /// Whether each speaker is speaking now; false while audio goes unanalysed.
    public var speaking: [Speaker: Bool]
    /// How long nobody has spoken, in milliseconds (0 while someone speaks).
    public var silenceMs: Int
    /// The longest open monologue, `nil` (encoded as null) when there is none.
    public var monologue: Monologue?
    /// How long both sides have been speaking at once, in milliseconds.
    public var overlapMs: Int

    public init(audioTimeMs: Int, talkShare: [Speaker: Double], speaking: [Speaker: Bool], silenceMs: Int,
                monologue: Monologue?, overlapMs: Int) {
        self.audioTimeMs = audioTimeMs
        self.talkShare = talkShare
        self.speaking = speaking
        self.silenceMs = silenceMs
        self.monologue = monologue
        self.overlapMs = overlapMs
    }

    enum CodingKeys: String, CodingKey {
        case speaking, monologue
        case audioTimeMs = "audio_time_ms"
        case talkShare = "talk_share"
        case silenceMs = "silence_ms"
        case overlapMs = "overlap_ms"
    }

    // Written out so that an absent monologue is an explicit null: clients read a fixed set of keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(audioTimeMs, forKey: .audioTimeMs)
        try container.encode(talkShare, forKey: .talkShare)
        try container.encode(speaking, forKey: .speaking)
        try container.encode(silenceMs, forKey: .silenceMs)
        try container.encode(monologue, forKey: .monologue)
        try container.encode(overlapMs, forKey: .overlapMs)
    }
}
