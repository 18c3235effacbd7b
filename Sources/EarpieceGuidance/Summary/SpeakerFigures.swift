/// How much one speaker talked, how fast, and how often they asked.
public struct SpeakerFigures: Sendable, Equatable, Codable {
    public var speaker: Speaker
    /// The speaker's channel's speech, by the VAD; overlap counts for both sides.
    public var talkMs: Int
    /// `talkMs` as a percentage of every speaker's talk.
    public var talkShare: Double
    /// Words of the speaker's final utterances.
    public var words: Int
    /// `words` per minute of `talkMs`.
    public var wordsPerMinute: Double
    /// Turns the speaker held.
    public var turns: Int
    /// Utterances of the speaker that look like questions.
    public var questions: Int

    public init(speaker: Speaker, talkMs: Int, talkShare: Double, words: Int, wordsPerMinute: Double, turns: Int,
                questions: Int) {
        self.speaker = speaker
        self.talkMs = talkMs
        self.talkShare = talkShare
        self.words = words
        self.wordsPerMinute = wordsPerMinute
        self.turns = turns
        self.questions = questions
    }

    enum CodingKeys: String, CodingKey {
        case speaker, words, turns, questions
        case talkMs = "talk_ms"
        case talkShare = "talk_share"
        case wordsPerMinute = "words_per_minute"
    }
}
