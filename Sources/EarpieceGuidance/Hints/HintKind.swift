/// What a hint is about; the raw value is the `kind` clients see.
public enum HintKind: String, Sendable, Codable, CaseIterable {
    /// Nobody has spoken for a while.
    case longSilence = "long_silence"
    /// The rep (or, in a mono call, the one voice) has talked for a long time without a real pause.
    case repMonologue = "rep_monologue"
    /// The rep has done most of the talking lately.
    case talkRatioHigh = "talk_ratio_high"
    /// Both sides have been talking at once.
    case overlap
}
