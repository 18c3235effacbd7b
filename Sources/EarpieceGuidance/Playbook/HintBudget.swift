/// The rep's attention budget: at most `maxHints` hints, dynamics hints included, in any `windowSeconds`.
public struct HintBudget: Sendable, Equatable, Codable {
    /// What a playbook without a budget gets.
    public static let standard = HintBudget(maxHints: 4, windowSeconds: 120)
    /// The bounds of `maxHints`.
    public static let allowedMaxHints = 1...20
    /// The bounds of `windowSeconds`.
    public static let allowedWindowSeconds = 10...600

    /// The most hints in one window.
    public var maxHints: Int
    /// The window's length in seconds of call audio.
    public var windowSeconds: Int

    public init(maxHints: Int, windowSeconds: Int) {
        self.maxHints = maxHints
        self.windowSeconds = windowSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: PlaybookCodingKey.self)
        try container.refuseUnknownKeys(["max_hints", "window_s"])
        maxHints = try container.wholeNumber("max_hints") ?? Self.standard.maxHints
        windowSeconds = try container.wholeNumber("window_s") ?? Self.standard.windowSeconds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: PlaybookCodingKey.self)
        try container.encode(maxHints, forKey: PlaybookCodingKey("max_hints"))
        try container.encode(windowSeconds, forKey: PlaybookCodingKey("window_s"))
    }
}
