/// What a customer's (or rep's) words are about, as the intent model and the playbook name it; the raw value is
/// the name clients, the playbook and the model's weights file use. "none" is a class of the model, not an intent.
public enum Intent: String, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    /// "that's too pricey for us"
    case pricingObjection = "pricing_objection"
    /// "we're evaluating Acme as well"
    case competitorMention = "competitor_mention"
    /// "call me back next quarter"
    case timingObjection = "timing_objection"
    /// "my boss decides on tools like this"
    case authorityObjection = "authority_objection"
    /// "send over a proposal"
    case nextStep = "next_step"
    /// "when could we go live"
    case buyingSignal = "buying_signal"
    /// "we might not renew"
    case churnRisk = "churn_risk"
    /// "is our data encrypted"
    case securityConcern = "security_concern"

    /// Whether the rep saying it is the intent too. Every intent but `next_step` describes the customer (their
    /// objections, signals, doubts): when the rep says "our customers worry about security" or "we're cheaper
    /// than Acme", that is a pitch, not a concern. A next step is agreed by either side.
    public var isHeardFromRep: Bool { self == .nextStep }
}
