/// A phrase PocketSphinx listens for in the keyphrase tier, and how readily it reports it.
public struct Keyphrase: Sendable, Equatable, Codable {
    /// What a phrase's `threshold` is when the playbook leaves it out, and what competitor names are spotted at.
    public static let defaultThreshold = 1e-20
    /// What competitor names are spotted at: strict, because a name is one or two short words, and at the
    /// phrases' 1e-20 "acme" alone made most of the keyphrase tier's false alarms on synthetic speech
    /// (`Models/keyphrases/README.md`); at 1e-5 it was still heard wherever it was said.
    public static let competitorThreshold = 1e-5
    /// PocketSphinx's keyword thresholds: lower finds more, and more wrongly.
    public static let allowedThresholds = 1e-50...1e-1
    /// The most words in one phrase: longer phrases are rarely said exactly as written.
    public static let maxWords = 6

    /// Lowercase words of letters and apostrophes separated by single spaces: `too pricey`.
    public var text: String
    /// The keyword threshold PocketSphinx is given for this phrase.
    public var threshold: Double

    public init(_ text: String, threshold: Double = Keyphrase.defaultThreshold) {
        self.text = text
        self.threshold = threshold
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: PlaybookCodingKey.self)
        try container.refuseUnknownKeys(["text", "threshold"])
        guard let text = try container.optional(String.self, "text") else {
            throw PlaybookError(path: PlaybookError.path(decoder.codingPath + [PlaybookCodingKey("text")]), reason: "is required")
        }
        self.text = text
        threshold = try container.optional(Double.self, "threshold") ?? Self.defaultThreshold
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: PlaybookCodingKey.self)
        try container.encode(text, forKey: PlaybookCodingKey("text"))
        try container.encode(threshold, forKey: PlaybookCodingKey("threshold"))
    }

    /// Why `text` cannot be a keyphrase (empty, not lowercase words, too many words, an unknown word), or `nil`.
    static func problem(with text: String, isKnownWord: (Substring) -> Bool) -> String? {
        if text.allSatisfy({ $0 == " " }) { return "empty phrase" }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        if words.contains(where: \.isEmpty) {
            return "words must be separated by single spaces, without spaces at either end"
        }
        if words.count > maxWords { return "at most \(maxWords) words, not \(words.count)" }
        for word in words {
            guard word.allSatisfy({ ("a"..."z").contains($0) || $0 == "'" }), word.contains(where: { $0 != "'" }) else {
                return "\(PlaybookError.quote(word)) must be lowercase letters (a-z) and apostrophes only"
            }
            guard isKnownWord(word) else {
                return "\(PlaybookError.quote(word)) is not in the recognizer's dictionary, so it can never be heard; use words it knows"
            }
        }
        return nil
    }
}
