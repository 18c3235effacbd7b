/// What a call came to, computed after it ended from its recording: `docs/summary.md` defines every figure and
/// the JSON, which is stored sealed and served as it is.
public struct CallSummary: Sendable, Equatable, Codable {
    /// The format version this code writes.
    public static let currentVersion = 1

    /// Always `currentVersion` for a summary this code made.
    public var version: Int
    /// 1 (mono: speaker `unknown`) or 2 (channel 0 the rep, channel 1 the customer).
    public var channels: Int
    /// The whole call, speech or not.
    public var durationMs: Int
    /// Time in which no channel had speech.
    public var silenceMs: Int
    /// `silenceMs` as a percentage of `durationMs`.
    public var silenceShare: Double
    /// Turns that started with another speaker than the turn before.
    public var speakerSwitches: Int
    /// Speaker switches per minute of call.
    public var interactivity: Double
    /// One entry per channel, in channel order.
    public var speakers: [SpeakerFigures]
    /// The longest turn; nil when nobody spoke.
    public var longestMonologue: SummaryMonologue?
    /// Utterances that look like questions, in time order.
    public var questions: [SummaryQuestion]
    /// Utterances that earned an intent, in time order.
    public var intents: [SummaryIntent]
    /// The hints shown live, as the job passed them in.
    public var hints: [SummaryHint]
    /// At most a few moments worth a look, in time order.
    public var keyMoments: [KeyMoment]

    public init(version: Int = CallSummary.currentVersion, channels: Int, durationMs: Int, silenceMs: Int,
                silenceShare: Double, speakerSwitches: Int, interactivity: Double, speakers: [SpeakerFigures],
                longestMonologue: SummaryMonologue?, questions: [SummaryQuestion], intents: [SummaryIntent],
                hints: [SummaryHint], keyMoments: [KeyMoment]) {
        self.version = version
        self.channels = channels
        self.durationMs = durationMs
        self.silenceMs = silenceMs
        self.silenceShare = silenceShare
        self.speakerSwitches = speakerSwitches
        self.interactivity = interactivity
        self.speakers = speakers
        self.longestMonologue = longestMonologue
        self.questions = questions
        self.intents = intents
        self.hints = hints
        self.keyMoments = keyMoments
    }

    /// The figures of `speaker`, if the call has that speaker.
    public func figures(of speaker: Speaker) -> SpeakerFigures? {
        speakers.first { $0.speaker == speaker }
    }

    enum CodingKeys: String, CodingKey {
        case version, channels, speakers, questions, intents, hints, interactivity
        case durationMs = "duration_ms"
        case silenceMs = "silence_ms"
        case silenceShare = "silence_share"
        case speakerSwitches = "speaker_switches"
        case longestMonologue = "longest_monologue"
        case keyMoments = "key_moments"
    }
}
