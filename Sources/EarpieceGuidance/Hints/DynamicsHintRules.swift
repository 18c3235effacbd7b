/// Turns conversation dynamics into hints: a long silence, a rep monologue, a lopsided talk ratio, an overlap.
///
/// Each rule fires once per episode (one silence, one monologue, one overlap episode) and talk ratio at most once
/// per cooldown, so a hint never repeats while nothing has changed. Mono calls cannot tell the rep from the
/// customer: only silence and monologue apply there, with speaker `unknown`.
///
/// Confidence reflects how far WebRTC's VAD (mode 2: speech recall 0.92–0.96, 0–8 % false alarms per frame on
/// clean speech) can be trusted for the measure behind each rule, since every rule rests on it alone:
/// - silence 0.9: hundreds of frames in a row would all have to be missed; what remains is speech too quiet
///   for the VAD's energy floor.
/// - monologue 0.85 (stereo): one false alarm per 1.5 s could bridge real pauses, and a speakerphone can leak
///   the customer into the rep's channel.
/// - monologue 0.5 (mono): one channel carries both voices, so a brisk exchange with short gaps looks the same
///   as one person talking.
/// - talk ratio 0.8: a 3-minute aggregate averages per-frame errors out, but leakage between channels biases it.
/// - overlap 0.7: echo of the customer's voice into the rep's microphone looks exactly like talking over them.
public struct DynamicsHintRules: Sendable {
    /// The thresholds and cooldowns of every rule.
    public struct Configuration: Sendable, Equatable {
        /// Nobody speaking this long is a long silence.
        public var longSilence: Duration
        /// A rep monologue this long earns a hint.
        public var repMonologue: Duration
        /// Hint when the rep's share of talk in the trailing window passes this (0…1).
        public var talkRatioThreshold: Double
        /// No talk-ratio hint before this much of the call has passed.
        public var talkRatioEarliest: Duration
        /// At most one talk-ratio hint per this long.
        public var talkRatioCooldown: Duration
        /// Too little talk in the window makes a ratio meaningless.
        public var talkRatioMinimumTalk: Duration
        /// Both sides talking this long is an overlap.
        public var overlap: Duration
        /// At most one overlap hint per this long, however many episodes.
        public var overlapCooldown: Duration

        public init(longSilence: Duration = .seconds(10), repMonologue: Duration = .seconds(60),
                    talkRatioThreshold: Double = 0.7, talkRatioEarliest: Duration = .seconds(120),
                    talkRatioCooldown: Duration = .seconds(180), talkRatioMinimumTalk: Duration = .seconds(30),
                    overlap: Duration = .milliseconds(1500), overlapCooldown: Duration = .seconds(30)) {
            self.longSilence = longSilence
            self.repMonologue = repMonologue
            self.talkRatioThreshold = talkRatioThreshold
            self.talkRatioEarliest = talkRatioEarliest
            self.talkRatioCooldown = talkRatioCooldown
            self.talkRatioMinimumTalk = talkRatioMinimumTalk
            self.overlap = overlap
            self.overlapCooldown = overlapCooldown
        }
    }

    public let configuration: Configuration
    private let silenceFrames: Int
    private let monologueFrames: Int
    private let talkRatioEarliestFrames: Int
    private let talkRatioCooldownFrames: Int
    private let talkRatioMinimumTalkFrames: Int
    private let overlapFrames: Int
    private let overlapCooldownFrames: Int

    private var silenceHinted = false
    private var monologueHinted: [Bool] = [false, false]
    private var overlapHinted = false
    private var lastOverlapHintFrame: Int?
    private var lastTalkRatioHintFrame: Int?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        silenceFrames = max(1, AnalysisFrame.count(covering: configuration.longSilence))
        monologueFrames = max(1, AnalysisFrame.count(covering: configuration.repMonologue))
        talkRatioEarliestFrames = AnalysisFrame.count(covering: configuration.talkRatioEarliest)
        talkRatioCooldownFrames = AnalysisFrame.count(covering: configuration.talkRatioCooldown)
        talkRatioMinimumTalkFrames = max(1, AnalysisFrame.count(covering: configuration.talkRatioMinimumTalk))
        overlapFrames = max(1, AnalysisFrame.count(covering: configuration.overlap))
        overlapCooldownFrames = AnalysisFrame.count(covering: configuration.overlapCooldown)
    }

    /// Checks every rule after the dynamics' latest frame and appends the candidates that fire, unnumbered:
    /// the call's `HintPolicy` decides which are shown and numbers those.
    public mutating func evaluate(_ dynamics: ConversationDynamics, into events: inout [Hint]) {
        let isStereo = dynamics.speakers.count == 2
        checkSilence(dynamics, into: &events)
        checkMonologues(dynamics, isStereo: isStereo, into: &events)
        if isStereo {
            checkTalkRatio(dynamics, into: &events)
            checkOverlap(dynamics, into: &events)
        }
    }

    private mutating func checkSilence(_ dynamics: ConversationDynamics, into events: inout [Hint]) {
        guard dynamics.silenceFrames > 0 else {
            silenceHinted = false
            return
        }
        // Silence before anyone has spoken is a call still connecting, not a conversation gone quiet.
        guard !silenceHinted, dynamics.silenceFrames >= silenceFrames, let lastChannel = dynamics.lastSpeakerChannel else { return }
        silenceHinted = true
        // A silence is nobody's (speaker `unknown`, as the protocol has it), but who spoke last changes the advice.
        let lastSpeaker = dynamics.speakers[lastChannel]
        let body = lastSpeaker == .customer
            ? "The customer spoke last: answer them or check they can hear you"
            : "Ask an open question to re-engage"
        let since = lastSpeaker == .unknown ? "" : " since the \(lastSpeaker.rawValue) spoke"
        events.append(Hint(
            id: "", kind: .longSilence, speaker: .unknown, audioTimeMs: dynamics.audioTimeMs,
            title: "\(Self.wholeSeconds(dynamics.silenceFrames)) s of silence", body: body,
            trigger: "no speech for \(Self.seconds(dynamics.silenceFrames)) s\(since)", confidence: 0.9))
    }

    private mutating func checkMonologues(_ dynamics: ConversationDynamics, isStereo: Bool, into events: inout [Hint]) {
        for channel in dynamics.speakers.indices {
            let length = dynamics.monologueFrames(channel: channel)
            if length == 0 { monologueHinted[channel] = false }
            // A customer who talks at length is what a rep wants: only the rep's monologues are hinted.
            guard dynamics.speakers[channel] != .customer, !monologueHinted[channel], length >= monologueFrames else { continue }
            monologueHinted[channel] = true
            let seconds = Self.seconds(length), whole = Self.wholeSeconds(length)
            let pause = Self.seconds(AnalysisFrame.count(covering: dynamics.configuration.monologueMaxPause))
            events.append(Hint(
                id: "", kind: .repMonologue, speaker: dynamics.speakers[channel], audioTimeMs: dynamics.audioTimeMs,
                title: isStereo ? "You've talked for \(whole) s" : "\(whole) s of talk without a break",
                body: "Pause and ask a question to check in",
                trigger: isStereo
                    ? "rep speaking for \(seconds) s with no pause over \(pause) s"
                    : "one voice for \(seconds) s with no pause over \(pause) s (mono: speakers not separated)",
                confidence: isStereo ? 0.85 : 0.5))
        }
    }

    private mutating func checkTalkRatio(_ dynamics: ConversationDynamics, into events: inout [Hint]) {
        if let last = lastTalkRatioHintFrame, dynamics.frameCount - last < talkRatioCooldownFrames { return }
        guard dynamics.frameCount >= talkRatioEarliestFrames, dynamics.totalTalkFrames >= talkRatioMinimumTalkFrames else { return }
        let share = dynamics.talkShare(channel: 0)
        guard share > configuration.talkRatioThreshold else { return }
        lastTalkRatioHintFrame = dynamics.frameCount
        let percent = Int((share * 100).rounded()), limit = Int((configuration.talkRatioThreshold * 100).rounded())
        events.append(Hint(
            id: "", kind: .talkRatioHigh, speaker: .rep, audioTimeMs: dynamics.audioTimeMs,
            title: "You've done \(percent)% of the talking", body: "Ask an open question and let the customer talk",
            trigger: "rep \(percent)% of talk time over the last \(Self.minutes(dynamics.windowFrames)) min (limit \(limit)%)",
            confidence: 0.8))
    }

    private mutating func checkOverlap(_ dynamics: ConversationDynamics, into events: inout [Hint]) {
        guard dynamics.overlapFrames > 0 else {
            overlapHinted = false
            return
        }
        if let last = lastOverlapHintFrame, dynamics.frameCount - last < overlapCooldownFrames { return }
        guard !overlapHinted, dynamics.overlapFrames >= overlapFrames else { return }
        overlapHinted = true
        lastOverlapHintFrame = dynamics.frameCount
        // An overlap is both sides' (speaker `unknown`, as the protocol has it); whoever started later broke in,
        // and that decides the advice.
        let rep = dynamics.spurtFrames(channel: 0), customer = dynamics.spurtFrames(channel: 1)
        let (body, who) = rep < customer
            ? ("Let the customer finish, then respond", "the rep talked over the customer")
            : customer < rep
                ? ("Pause and let the customer speak", "the customer talked over the rep")
                : ("Pause so one of you can finish", "both started at once")
        events.append(Hint(
            id: "", kind: .overlap, speaker: .unknown, audioTimeMs: dynamics.audioTimeMs,
            title: "Talking over each other", body: body,
            trigger: "both speaking for \(Self.seconds(dynamics.overlapFrames)) s: \(who)", confidence: 0.7))
    }

    /// Frames as seconds with one decimal ("10.0").
    static func seconds(_ frames: Int) -> String {
        let tenths = (frames * AnalysisFrame.durationMs + 50) / 100
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func wholeSeconds(_ frames: Int) -> Int { frames * AnalysisFrame.durationMs / 1000 }

    /// Frames as minutes with one decimal, without a trailing ".0" ("3", "2.5").
    static func minutes(_ frames: Int) -> String {
        let tenths = (frames * AnalysisFrame.durationMs + 3000) / 6000
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }
}
