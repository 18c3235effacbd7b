/// What the playbook does about one intent: the hint's words, and when it fires.
public struct Play: Sendable, Equatable, Codable {
    /// The longest title, in characters: a rep takes it in at a glance.
    public static let maxTitleLength = 80
    /// The longest body, in characters.
    public static let maxBodyLength = 280
    /// The most keyphrases one intent may have.
    public static let maxPhrases = 32
    /// The intent model's probability a play needs by default.
    public static let defaultThreshold = 0.6
    /// Seconds between two hints of one intent by default.
    public static let defaultCooldownSeconds = 60
    /// The bounds of `cooldownSeconds`.
    public static let allowedCooldownSeconds = 0...3600
    /// Where a `competitor_mention` hint names the competitor it heard.
    public static let competitorPlaceholder = "{competitor}"
    /// What stands in for the competitor's name when none was caught.
    public static let unnamedCompetitor = "a competitor"

    /// A few words, such as "Pricing objection".
    public var title: String
    /// What to do, such as "Anchor on ROI: …".
    public var body: String
    /// The intent model's probability needed for a hint, 0 < t ≤ 1 (transcript tier).
    public var threshold: Double
    /// Seconds after one hint of this intent before the next may fire.
    public var cooldownSeconds: Int
    /// Whether this intent fires at all.
    public var enabled: Bool
    /// What the keyphrase tier listens for.
    public var phrases: [Keyphrase]

    public init(
        title: String, body: String, threshold: Double = Play.defaultThreshold,
        cooldownSeconds: Int = Play.defaultCooldownSeconds, enabled: Bool = true, phrases: [Keyphrase] = []
    ) {
        self.title = title
        self.body = body
        self.threshold = threshold
        self.cooldownSeconds = cooldownSeconds
        self.enabled = enabled
        self.phrases = phrases
    }

    /// The title and body a hint shows, with `{competitor}` replaced by the competitor heard, if any.
    public func rendered(naming competitor: String?) -> (title: String, body: String) {
        let name = competitor ?? Self.unnamedCompetitor
        return (
            Self.capitalizingFirstLetter(title.replacing(Self.competitorPlaceholder, with: name)),
            body.replacing(Self.competitorPlaceholder, with: name)
        )
    }

    /// "a competitor mentioned" → "A competitor mentioned": a title starting with the placeholder still reads
    /// as a title.
    private static func capitalizingFirstLetter(_ text: String) -> String {
        guard let first = text.first, first.isLowercase else { return text }
        return first.uppercased() + text.dropFirst()
    }

    static let keys = ["title", "body", "threshold", "cooldown_s", "enabled", "phrases"]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: PlaybookCodingKey.self)
        try container.refuseUnknownKeys(Self.keys)
        func required(_ key: String) throws -> String {
            guard let value = try container.optional(String.self, key) else {
                throw PlaybookError(path: PlaybookError.path(decoder.codingPath + [PlaybookCodingKey(key)]), reason: "is required")
            }
            return value
        }
        title = try required("title")
        body = try required("body")
        threshold = try container.optional(Double.self, "threshold") ?? Self.defaultThreshold
        cooldownSeconds = try container.wholeNumber("cooldown_s") ?? Self.defaultCooldownSeconds
        enabled = try container.optional(Bool.self, "enabled") ?? true
        phrases = try container.optional([Keyphrase].self, "phrases") ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: PlaybookCodingKey.self)
        try container.encode(title, forKey: PlaybookCodingKey("title"))
        try container.encode(body, forKey: PlaybookCodingKey("body"))
        try container.encode(threshold, forKey: PlaybookCodingKey("threshold"))
        try container.encode(cooldownSeconds, forKey: PlaybookCodingKey("cooldown_s"))
        try container.encode(enabled, forKey: PlaybookCodingKey("enabled"))
        try container.encode(phrases, forKey: PlaybookCodingKey("phrases"))
    }
}
