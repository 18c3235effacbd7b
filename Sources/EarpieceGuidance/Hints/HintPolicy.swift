/// Decides which candidate hints a rep sees: a cooldown per kind, no duplicates, and an attention budget.
///
/// Candidates arrive in audio order from every stage (dynamics and content alike); a candidate that passes
/// gets the call's next id, one that doesn't is dropped and counted, never queued: a hint shown late is worse
/// than none. Time is audio time, so a replay decides the same way every run. See `docs/guidance.md`.
public struct HintPolicy: Sendable {
    /// The limits; the playbook sets the content kinds' cooldowns and the budget per tenant.
    public struct Configuration: Sendable, Equatable {
        /// Cooldowns per kind; kinds not listed take `defaultCooldown`. Dynamics kinds default to none: their
        /// rules already fire once per episode, with their own cooldowns (`docs/protocol.md`).
        public var cooldowns: [HintKind: Duration]
        public var defaultCooldown: Duration
        /// At most this many hints in any `budgetWindow`; nil: no budget.
        public var budgetHints: Int?
        public var budgetWindow: Duration
        /// A content hint of the same kind with the same trigger within this long is a duplicate. (A dynamics
        /// trigger is a measurement, "no speech for 10.0 s": the same words there are a new episode.)
        public var duplicateWindow: Duration

        /// No policy cooldown for the dynamics kinds.
        public static let dynamicsCooldowns: [HintKind: Duration] =
            Dictionary(uniqueKeysWithValues: HintKind.allCases.filter { $0.intent == nil }.map { ($0, Duration.zero) })

        public init(cooldowns: [HintKind: Duration] = dynamicsCooldowns, defaultCooldown: Duration = .seconds(60),
                    budgetHints: Int? = 4, budgetWindow: Duration = .seconds(120),
                    duplicateWindow: Duration = .seconds(600)) {
            self.cooldowns = cooldowns
            self.defaultCooldown = defaultCooldown
            self.budgetHints = budgetHints
            self.budgetWindow = budgetWindow
            self.duplicateWindow = duplicateWindow
        }

        /// No cooldowns and no budget (duplicates are still dropped): measures the detectors alone.
        public static let unlimited = Configuration(defaultCooldown: .zero, budgetHints: nil, duplicateWindow: .zero)
    }

    /// Why a candidate was not shown.
    public enum Suppression: String, Sendable, CaseIterable {
        case cooldown, duplicate, budget
    }

    public let configuration: Configuration
    private var numbering = HintNumbering()
    /// When each cooldown key (a kind, or a kind and its competitor) last showed a hint, in ms of audio.
    private var lastShown: [String: Int] = [:]
    /// What was shown recently: (time, kind, trigger), oldest first, pruned to the longer of the two windows.
    private var recent: [(timeMs: Int, kind: HintKind, trigger: String)] = []
    private let cooldownMs: [HintKind: Int]
    private let defaultCooldownMs: Int
    private let budgetWindowMs: Int
    private let duplicateWindowMs: Int
    /// Candidates dropped so far, per reason.
    public private(set) var suppressed: [Suppression: Int] = [:]

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        cooldownMs = configuration.cooldowns.mapValues(AnalysisFrame.milliseconds)
        defaultCooldownMs = AnalysisFrame.milliseconds(configuration.defaultCooldown)
        budgetWindowMs = AnalysisFrame.milliseconds(configuration.budgetWindow)
        duplicateWindowMs = AnalysisFrame.milliseconds(configuration.duplicateWindow)
        recent.reserveCapacity(16)
    }

    /// Numbers and returns `candidate` if the rep should see it, or says why not.
    ///
    /// A `competitor_mention` cools down per competitor: news about a different one is not held back.
    public mutating func admit(_ candidate: Hint) -> Result<Hint, SuppressionError> {
        let now = candidate.audioTimeMs
        prune(before: now - max(budgetWindowMs, duplicateWindowMs))
        let key = candidate.competitor.map { "\(candidate.kind.rawValue)/\($0)" } ?? candidate.kind.rawValue
        let cooldown = cooldownMs[candidate.kind] ?? defaultCooldownMs
        if let last = lastShown[key], now - last < cooldown { return refuse(.cooldown) }
        if duplicateWindowMs > 0, candidate.kind.intent != nil, recent.contains(where: {
            $0.kind == candidate.kind && $0.trigger == candidate.trigger && now - $0.timeMs < duplicateWindowMs
        }) {
            return refuse(.duplicate)
        }
        if let budget = configuration.budgetHints,
           recent.reduce(0, { $0 + (now - $1.timeMs < budgetWindowMs ? 1 : 0) }) >= budget {
            return refuse(.budget)
        }
        var hint = candidate
        hint.id = numbering.take()
        lastShown[key] = now
        recent.append((now, hint.kind, hint.trigger))
        return .success(hint)
    }

    /// A candidate the policy held back.
    public struct SuppressionError: Error, Sendable, Equatable {
        public var reason: Suppression
    }

    private mutating func refuse(_ reason: Suppression) -> Result<Hint, SuppressionError> {
        suppressed[reason, default: 0] += 1
        return .failure(SuppressionError(reason: reason))
    }

    private mutating func prune(before cutoff: Int) {
        var stale = 0
        while stale < recent.count, recent[stale].timeMs < cutoff { stale += 1 }
        if stale > 0 { recent.removeFirst(stale) }
    }
}

extension HintPolicy.Configuration {
    /// The limits a tenant's playbook sets: each intent's cooldown and the attention budget.
    public init(playbook: Playbook) {
        var cooldowns = Self.dynamicsCooldowns
        for (intent, play) in playbook.intents { cooldowns[HintKind(intent)] = .seconds(play.cooldownSeconds) }
        self.init(cooldowns: cooldowns, budgetHints: playbook.budget.maxHints, budgetWindow: .seconds(playbook.budget.windowSeconds))
    }
}
