/// A final utterance the intent model gave an intent, by live guidance's rules but without its hint policy.
public struct SummaryIntent: Sendable, Equatable, Codable {
    /// Where the utterance's first word starts.
    public var atMs: Int
    /// Where its last word ends.
    public var endMs: Int
    public var speaker: Speaker
    /// Encodes as the intent's name, e.g. `pricing_objection`.
    public var kind: Intent
    /// The model's probability for the intent, two decimals.
    public var confidence: Double
    /// For `competitor_mention`: the playbook's competitor heard, when the playbook lists competitors.
    public var competitor: String?
    /// The utterance, or its last words after "… " when it is long.
    public var excerpt: String

    public init(atMs: Int, endMs: Int, speaker: Speaker, kind: Intent, confidence: Double, competitor: String? = nil,
                excerpt: String) {
        self.atMs = atMs
        self.endMs = endMs
        self.speaker = speaker
        self.kind = kind
        self.confidence = confidence
        self.competitor = competitor
        self.excerpt = excerpt
    }

    enum CodingKeys: String, CodingKey {
        case speaker, kind, confidence, competitor, excerpt
        case atMs = "at_ms"
        case endMs = "end_ms"
    }
}
