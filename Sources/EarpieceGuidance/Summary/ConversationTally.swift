/// Counts a whole call's speech, frame by frame from the VAD's decisions: talk per channel, silence, turns,
/// speaker switches, the longest turn and the long silences. Constant memory but for one entry per long silence.
///
/// A speaker holds the floor from the first speech heard while nobody holds it. The holder keeps it through its
/// own pauses up to `turnMaxPause` and through the other side's speech shorter than `turnTakeover` (a
/// backchannel); the other side takes it once their speech lasts `turnTakeover`, the new turn starting where
/// that speech started; the floor is free again after a longer pause of the holder. A turn runs from its
/// holder's first to last speech frame in it (`docs/summary.md`).
struct ConversationTally: Sendable {
    /// A stretch of the call, in 20 ms frames: `start..<end`.
    struct Span: Sendable, Equatable {
        var channel: Int
        var start: Int
        var end: Int
        var frames: Int { end - start }
    }

    let channelCount: Int
    /// Frames seen.
    private(set) var frames = 0
    /// Speech frames per channel.
    private(set) var talkFrames: [Int]
    /// Frames in which no channel had speech.
    private(set) var silenceFrames = 0
    /// Turns per channel.
    private(set) var turns: [Int]
    /// Turns that began with another channel than the turn before.
    private(set) var switches = 0
    /// The longest turn so far (the earliest of equals); the open one counts once `finish` closes it.
    private(set) var longestTurn: Span?
    /// Silences over `longSilenceFrames` between speech, in call order (channel -1).
    private(set) var longSilences: [Span] = []

    private let maxPauseFrames: Int
    private let takeoverFrames: Int
    private let longSilenceFrames: Int
    /// Per channel: the first frame of its current run of speech, nil while it is silent.
    private var runStart: [Int?]
    private var holder: Int?
    private var turnStart = 0
    private var holderLastSpeech = 0
    private var previousTurnChannel: Int?
    private var silenceStart: Int?
    private var heardSpeech = false

    init(channelCount: Int, configuration: SummaryConfiguration = SummaryConfiguration()) {
        self.channelCount = channelCount
        talkFrames = [Int](repeating: 0, count: channelCount)
        turns = talkFrames
        runStart = [Int?](repeating: nil, count: channelCount)
        maxPauseFrames = AnalysisFrame.count(covering: configuration.turnMaxPause)
        takeoverFrames = max(1, AnalysisFrame.count(covering: configuration.turnTakeover))
        // "Longer than": a silence of exactly the threshold is not one.
        longSilenceFrames = AnalysisFrame.count(covering: configuration.longSilence) + 1
    }

    /// Takes the next frame's speech decisions.
    mutating func advance(_ activity: SpeechActivity) {
        let frame = frames
        frames += 1
        var anyone = false
        for channel in 0..<channelCount {
            if activity.isSpeaking(channel: channel) {
                talkFrames[channel] += 1
                if runStart[channel] == nil { runStart[channel] = frame }
                anyone = true
            } else {
                runStart[channel] = nil
            }
        }
        if anyone {
            closeSilence(endingAt: frame)
            heardSpeech = true
        } else {
            silenceFrames += 1
            if silenceStart == nil { silenceStart = frame }
        }
        advanceFloor(frame: frame, activity: activity)
    }

    private mutating func advanceFloor(frame: Int, activity: SpeechActivity) {
        if let current = holder {
            if activity.isSpeaking(channel: current) { holderLastSpeech = frame }
            if let taker = channelTakingOver(from: current, at: frame), let start = runStart[taker] {
                endTurn()
                startTurn(channel: taker, at: start)
                holderLastSpeech = frame
            } else if frame - holderLastSpeech > maxPauseFrames {
                endTurn()
            }
        }
        guard holder == nil else { return }
        // A free floor goes to whoever has been speaking longest (the lower channel of equals).
        var first: (channel: Int, start: Int)?
        for channel in 0..<channelCount {
            if let start = runStart[channel], start < (first?.start ?? .max) { first = (channel, start) }
        }
        if let first {
            startTurn(channel: first.channel, at: first.start)
            holderLastSpeech = frame
        }
    }

    private func channelTakingOver(from current: Int, at frame: Int) -> Int? {
        // Only speech begun inside the turn can end it: the previous holder talking on through an overlap that
        // cost it the floor does not win it straight back.
        for channel in 0..<channelCount where channel != current {
            if let start = runStart[channel], start > turnStart, frame - start + 1 >= takeoverFrames { return channel }
        }
        return nil
    }

    private mutating func startTurn(channel: Int, at start: Int) {
        if let previous = previousTurnChannel, previous != channel { switches += 1 }
        previousTurnChannel = channel
        turns[channel] += 1
        holder = channel
        turnStart = start
    }

    private mutating func endTurn() {
        guard let current = holder else { return }
        let turn = Span(channel: current, start: turnStart, end: holderLastSpeech + 1)
        if turn.frames > (longestTurn?.frames ?? 0) { longestTurn = turn }
        holder = nil
    }

    private mutating func closeSilence(endingAt frame: Int) {
        guard let start = silenceStart else { return }
        silenceStart = nil
        // Only silences between speech: before the first word the call may not have started, after the last
        // it is over.
        if heardSpeech, frame - start >= longSilenceFrames { longSilences.append(Span(channel: -1, start: start, end: frame)) }
    }

    /// Ends the open turn: the call is over.
    mutating func finish() {
        endTurn()
        silenceStart = nil
    }

    // MARK: Figures

    /// Call time of a frame boundary.
    static func ms(_ frames: Int) -> Int { frames * AnalysisFrame.durationMs }

    /// `part` of `whole` in percent, one decimal; 0 of nothing.
    static func percent(_ part: Int, of whole: Int) -> Double {
        whole > 0 ? (Double(part) * 1000 / Double(whole)).rounded() / 10 : 0
    }

    /// Speaker switches per minute of call, one decimal.
    var switchesPerMinute: Double {
        frames > 0 ? (Double(switches) * 600_000 / Double(Self.ms(frames))).rounded() / 10 : 0
    }

    /// Each channel's figures, given the words recognized and the questions found on it.
    func speakerFigures(words: [Int], questions: [Int]) -> [SpeakerFigures] {
        let speakers = Speaker.byChannel(channelCount: channelCount)
        let totalTalk = talkFrames.reduce(0, +)
        return speakers.indices.map { channel in
            let talkMs = Self.ms(talkFrames[channel])
            let perMinute = talkMs > 0 ? (Double(words[channel]) * 600_000 / Double(talkMs)).rounded() / 10 : 0
            return SpeakerFigures(
                speaker: speakers[channel], talkMs: talkMs, talkShare: Self.percent(talkFrames[channel], of: totalTalk),
                words: words[channel], wordsPerMinute: perMinute, turns: turns[channel], questions: questions[channel])
        }
    }

    /// The longest turn as the summary states it.
    var longestMonologue: SummaryMonologue? {
        longestTurn.map {
            SummaryMonologue(speaker: Speaker.byChannel(channelCount: channelCount)[$0.channel],
                             startMs: Self.ms($0.start), endMs: Self.ms($0.end))
        }
    }
}
