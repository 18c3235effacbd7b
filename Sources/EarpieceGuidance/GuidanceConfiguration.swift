/// Everything a call's guidance loop can be tuned with; the defaults are the product's.
public struct GuidanceConfiguration: Sendable, Equatable {
    /// The voice activity detector of each channel.
    public var voiceActivity: VoiceActivityDetector.Configuration
    /// What counts as a pause, a monologue and the talk-share window.
    public var dynamics: ConversationDynamics.Configuration
    /// When dynamics become hints.
    public var hints: DynamicsHintRules.Configuration
    /// How often a dynamics snapshot is emitted, in audio time.
    public var snapshotInterval: Duration
    /// Which candidate hints are shown: cooldowns, duplicates, the attention budget. Nil: the call's playbook
    /// decides (or the defaults, without one); set, it overrides the playbook (`replay --hint-policy unlimited`).
    public var policy: HintPolicy.Configuration?

    public init(voiceActivity: VoiceActivityDetector.Configuration = .init(),
                dynamics: ConversationDynamics.Configuration = .init(),
                hints: DynamicsHintRules.Configuration = .init(),
                snapshotInterval: Duration = .seconds(1), policy: HintPolicy.Configuration? = nil) {
        self.voiceActivity = voiceActivity
        self.dynamics = dynamics
        self.hints = hints
        self.snapshotInterval = snapshotInterval
        self.policy = policy
    }
}
