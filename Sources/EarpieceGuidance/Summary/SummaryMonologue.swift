/// One turn: a speaker holding the floor, from their first to their last speech frame of it.
public struct SummaryMonologue: Sendable, Equatable, Codable {
    public var speaker: Speaker
    public var startMs: Int
    public var endMs: Int

    public init(speaker: Speaker, startMs: Int, endMs: Int) {
        self.speaker = speaker
        self.startMs = startMs
        self.endMs = endMs
    }

    public var durationMs: Int { endMs - startMs }

    enum CodingKeys: String, CodingKey {
        case speaker
        case startMs = "start_ms"
        case endMs = "end_ms"
        case durationMs = "duration_ms"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        speaker = try container.decode(Speaker.self, forKey: .speaker)
        startMs = try container.decode(Int.self, forKey: .startMs)
        endMs = try container.decode(Int.self, forKey: .endMs)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(speaker, forKey: .speaker)
        try container.encode(startMs, forKey: .startMs)
        try container.encode(endMs, forKey: .endMs)
        // Written for readers of the JSON; derived, so not read back.
        try container.encode(durationMs, forKey: .durationMs)
    }
}
