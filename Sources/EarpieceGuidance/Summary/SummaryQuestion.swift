/// A final utterance that starts like a question (`QuestionLeads`).
public struct SummaryQuestion: Sendable, Equatable, Codable {
    /// Where its first word starts.
    public var atMs: Int
    public var speaker: Speaker
    /// Its words, at most `SummaryConfiguration.excerptWords` of them.
    public var text: String

    public init(atMs: Int, speaker: Speaker, text: String) {
        self.atMs = atMs
        self.speaker = speaker
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case speaker, text
        case atMs = "at_ms"
    }
}
