/// What a summary counts as a turn, a long silence and a key moment; the defaults are the product's.
public struct SummaryConfiguration: Sendable, Equatable {
    /// The voice activity detector of each channel: live guidance's, so the summary hears the same speech.
    public var voiceActivity: VoiceActivityDetector.Configuration
    /// The longest pause of its own a speaker keeps the floor through.
    public var turnMaxPause: Duration
    /// How long the other side must speak without a break to take the floor; shorter is a backchannel.
    public var turnTakeover: Duration
    /// Silences longer than this are key moments.
    public var longSilence: Duration
    /// The longest turn is a key moment from this length.
    public var keyMonologue: Duration
    /// The most key moments a summary lists.
    public var keyMomentLimit: Int
    /// The most words of an utterance a question or intent quotes.
    public var excerptWords: Int

    public init(voiceActivity: VoiceActivityDetector.Configuration = .init(),
                turnMaxPause: Duration = .milliseconds(1500), turnTakeover: Duration = .seconds(1),
                longSilence: Duration = .seconds(10), keyMonologue: Duration = .seconds(30),
                keyMomentLimit: Int = 8, excerptWords: Int = 20) {
        self.voiceActivity = voiceActivity
        self.turnMaxPause = turnMaxPause
        self.turnTakeover = turnTakeover
        self.longSilence = longSilence
        self.keyMonologue = keyMonologue
        self.keyMomentLimit = max(0, keyMomentLimit)
        self.excerptWords = max(1, excerptWords)
    }
}
