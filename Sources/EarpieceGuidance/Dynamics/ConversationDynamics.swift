/// The running shape of a conversation, advanced one 20 ms frame at a time from who is speaking.
///
/// It keeps each speaker's talk time over a trailing window (3 minutes by default), the current silence
/// (nobody speaking), the current overlap (both speaking) and each speaker's current monologue: talk with no
/// pause longer than `monologueMaxPause`. Everything lives in counters and one ring buffer sized at creation,
/// so advancing a frame never allocates.
///
/// Unanalysed frames (see `SpeechActivity.unanalysed`) move the clock and slide the talk window but leave
/// silence, overlap and monologues as they were: skipping analysis must not invent a pause or a silence.
public struct ConversationDynamics: Sendable {
    /// What counts as a pause, a monologue's interruption and the talk-share window.
    public struct Configuration: Sendable, Equatable {
        /// How far back talk shares look.
        public var talkWindow: Duration
        /// The longest pause a monologue survives; a longer one ends it.
        public var monologueMaxPause: Duration
        /// The other side's speech ends a monologue only once it lasts this long, so an "mm-hmm" does not.
        public var interruption: Duration

        public init(talkWindow: Duration = .seconds(180), monologueMaxPause: Duration = .milliseconds(1500),
                    interruption: Duration = .seconds(1)) {
            self.talkWindow = talkWindow
            self.monologueMaxPause = monologueMaxPause
            self.interruption = interruption
        }
    }

    /// The speaker on each channel.
    public let speakers: [Speaker]
    public let configuration: Configuration

    /// Frames since the call began, analysed or not.
    public private(set) var frameCount = 0
    /// Analysed frames in a row in which nobody spoke (0 while someone speaks).
    public private(set) var silenceFrames = 0
    /// Analysed frames in a row in which two or more channels spoke.
    public private(set) var overlapFrames = 0
    /// The channel that spoke last (the higher one when both did), `nil` until someone has.
    public private(set) var lastSpeakerChannel: Int?
    /// The latest frame's activity (nobody speaking, as far as anyone knows, in an unanalysed frame).
    public private(set) var current = SpeechActivity.silence

    private let maxPauseFrames: Int
    private let interruptionFrames: Int
    // One byte per frame of the talk window: the frame's channel mask, so sliding the window is one subtraction.
    private var window: [UInt8]
    private var windowHead = 0
    private var windowFilled = 0
    private var windowTalk: [Int]
    /// Per channel: frames from a monologue's first speech frame to its latest (0 when there is none).
    private var monologueFrames: [Int]
    /// Per channel: frames since the channel last spoke, while its monologue is open.
    private var pauseFrames: [Int]
    /// Per channel: speech frames in a row up to now.
    private var spurtFrames: [Int]

    /// Creates the dynamics of a call with one (mono) or two (stereo: rep, customer) channels.
    public init(channelCount: Int, configuration: Configuration = Configuration()) {
        precondition(channelCount == 1 || channelCount == 2, "dynamics track mono or stereo calls")
        speakers = Speaker.byChannel(channelCount: channelCount)
        self.configuration = configuration
        maxPauseFrames = AnalysisFrame.count(covering: configuration.monologueMaxPause)
        interruptionFrames = max(1, AnalysisFrame.count(covering: configuration.interruption))
        window = [UInt8](repeating: 0, count: max(1, AnalysisFrame.count(covering: configuration.talkWindow)))
        windowTalk = [Int](repeating: 0, count: channelCount)
        monologueFrames = [Int](repeating: 0, count: channelCount)
        pauseFrames = [Int](repeating: 0, count: channelCount)
        spurtFrames = [Int](repeating: 0, count: channelCount)
    }

    /// Advances by one frame.
    public mutating func advance(_ activity: SpeechActivity) {
        frameCount += 1
        slideWindow(adding: activity.channelMask)
        current = activity
        guard activity.isAnalysed else { return }
        var speakingChannels = 0
        for channel in speakers.indices {
            if activity.isSpeaking(channel: channel) {
                spurtFrames[channel] += 1
                speakingChannels += 1
                lastSpeakerChannel = channel
            } else {
                spurtFrames[channel] = 0
            }
        }
        silenceFrames = speakingChannels == 0 ? silenceFrames + 1 : 0
        overlapFrames = speakingChannels >= 2 ? overlapFrames + 1 : 0
        for channel in speakers.indices { advanceMonologue(channel: channel, speaking: activity.isSpeaking(channel: channel)) }
    }

    private mutating func advanceMonologue(channel: Int, speaking: Bool) {
        // Plain loops, here and in totalTalkFrames: unspecialised generic calls taking closures allocate in debug builds.
        var interrupted = false
        for other in speakers.indices where other != channel && spurtFrames[other] >= interruptionFrames { interrupted = true }
        if interrupted {
            monologueFrames[channel] = 0
            pauseFrames[channel] = 0
        } else if speaking {
            // The pause just ended was short enough to keep the monologue: it counts as part of it.
            monologueFrames[channel] = monologueFrames[channel] == 0 ? 1 : monologueFrames[channel] + pauseFrames[channel] + 1
            pauseFrames[channel] = 0
        } else if monologueFrames[channel] > 0 {
            pauseFrames[channel] += 1
            if pauseFrames[channel] > maxPauseFrames {
                monologueFrames[channel] = 0
                pauseFrames[channel] = 0
            }
        }
    }

    private mutating func slideWindow(adding mask: UInt8) {
        if windowFilled == window.count {
            let leaving = window[windowHead]
            for channel in windowTalk.indices where leaving & (1 << UInt8(channel)) != 0 { windowTalk[channel] -= 1 }
        } else {
            windowFilled += 1
        }
        window[windowHead] = mask
        for channel in windowTalk.indices where mask & (1 << UInt8(channel)) != 0 { windowTalk[channel] += 1 }
        windowHead = windowHead + 1 == window.count ? 0 : windowHead + 1
    }

    /// Audio time at the end of the latest frame, in milliseconds.
    public var audioTimeMs: Int { frameCount * AnalysisFrame.durationMs }

    /// Frames the talk window covers now: the call so far, up to the window's length.
    public var windowFrames: Int { windowFilled }

    /// Speech frames of `channel` inside the talk window.
    public func talkFrames(channel: Int) -> Int { windowTalk[channel] }

    /// `channel`'s share of all talk in the window (0…1; 0 when nobody has talked). Overlapping talk counts for
    /// both sides, so shares of a stereo call add up to 1.
    public func talkShare(channel: Int) -> Double {
        let total = totalTalkFrames
        return total == 0 ? 0 : Double(windowTalk[channel]) / Double(total)
    }

    /// Speech frames of every channel in the window.
    public var totalTalkFrames: Int {
        var total = 0
        for frames in windowTalk { total += frames }
        return total
    }

    /// Length of `channel`'s current monologue in frames, up to its latest speech (0 when none).
    public func monologueFrames(channel: Int) -> Int { monologueFrames[channel] }

    /// Speech frames in a row of `channel` up to the latest analysed frame.
    public func spurtFrames(channel: Int) -> Int { spurtFrames[channel] }

    /// The longest monologue still open, if any.
    public var currentMonologue: (channel: Int, frames: Int)? {
        var best: (channel: Int, frames: Int)?
        for channel in speakers.indices where monologueFrames[channel] > (best?.frames ?? 0) {
            best = (channel, monologueFrames[channel])
        }
        return best
    }

    /// What the dynamics look like now, for the client.
    public func snapshot() -> DynamicsSnapshot {
        var talkShare: [Speaker: Double] = [:], speaking: [Speaker: Bool] = [:]
        for channel in speakers.indices {
            talkShare[speakers[channel]] = self.talkShare(channel: channel)
            speaking[speakers[channel]] = current.isSpeaking(channel: channel)
        }
        return DynamicsSnapshot(
            audioTimeMs: audioTimeMs, talkShare: talkShare, speaking: speaking,
            silenceMs: silenceFrames * AnalysisFrame.durationMs,
            monologue: currentMonologue.map { .init(speaker: speakers[$0.channel], ms: $0.frames * AnalysisFrame.durationMs) },
            overlapMs: overlapFrames * AnalysisFrame.durationMs)
    }
}
