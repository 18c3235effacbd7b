/// How much analysis a call gets, richest first; the raw value is what `ready` and `warning` say.
public enum GuidanceTier: String, Sendable, Codable, CaseIterable, Comparable {
    /// A streaming transcript per speaker, the intent model over it, and dynamics.
    case transcript
    /// The playbook's phrases spotted per speaker, and dynamics.
    case keyphrase
    /// Voice activity only: talk share, silences, monologues, overlaps.
    case dynamics

    /// The next tier down, for a call that falls behind; nil below dynamics.
    public var lower: GuidanceTier? {
        switch self {
        case .transcript: .keyphrase
        case .keyphrase: .dynamics
        case .dynamics: nil
        }
    }

    /// Richer tiers compare greater.
    public static func < (lhs: GuidanceTier, rhs: GuidanceTier) -> Bool { lhs.richness < rhs.richness }

    private var richness: Int {
        switch self {
        case .transcript: 2
        case .keyphrase: 1
        case .dynamics: 0
        }
    }
}
