/// What a hint is about; the raw value is the `kind` clients see.
///
/// Dynamics kinds come from how the conversation flows; content kinds, one per `Intent` and named like it,
/// come from what was said.
public enum HintKind: String, Sendable, Codable, CaseIterable {
    /// Nobody has spoken for a while.
    case longSilence = "long_silence"
    /// The rep (or, in a mono call, the one voice) has talked for a long time without a real pause.
    case repMonologue = "rep_monologue"
    /// The rep has done most of the talking lately.
    case talkRatioHigh = "talk_ratio_high"
    /// Both sides have been talking at once.
    case overlap
    case pricingObjection = "pricing_objection"
    case competitorMention = "competitor_mention"
    case timingObjection = "timing_objection"
    case authorityObjection = "authority_objection"
    case nextStep = "next_step"
    case buyingSignal = "buying_signal"
    case churnRisk = "churn_risk"
    case securityConcern = "security_concern"

    /// The content kind of hints about `intent`.
    public init(_ intent: Intent) {
        // Content kinds are named exactly like their intents.
        self = HintKind(rawValue: intent.rawValue) ?? .pricingObjection
    }

    /// The intent a content kind is about; nil for dynamics kinds.
    public var intent: Intent? { Intent(rawValue: rawValue) }
}
