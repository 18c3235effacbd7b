/// The speech analysis a call was admitted to: its tier, a recognizer per speaker, and its tenant's playbook.
///
/// Dropping the lease (the call ends) returns its decoders to the pool. `lower()` gives the call a cheaper
/// tier when it falls behind real time.
public struct SpeechLease: ~Copyable, Sendable {
    public private(set) var tier: GuidanceTier
    /// Channel 0's recognizer (the rep, or the one mono track), channel 1's (the customer).
    var first: SpeechRecognizer?
    var second: SpeechRecognizer?
    /// The tenant's playbook; nil for a call that has none (a dynamics call of a replay or a test).
    public let playbook: Playbook?
    let resources: SpeechResources

    init(tier: GuidanceTier, first: consuming SpeechRecognizer?, second: consuming SpeechRecognizer?, playbook: Playbook?,
         resources: SpeechResources) {
        self.tier = tier
        self.first = first
        self.second = second
        self.playbook = playbook
        self.resources = resources
    }

    /// A lease with no recognizer, for a dynamics call; its playbook, if any, still sets the hint budget.
    public static func dynamics(playbook: Playbook? = nil) -> SpeechLease {
        SpeechLease(tier: .dynamics, first: nil, second: nil, playbook: playbook, resources: .none)
    }

    /// The intent model, in the transcript tier.
    var intentModel: IntentModel? { tier == .transcript ? resources.intentModel : nil }

    /// Releases this tier's decoders and takes the next cheaper tier that has decoders free for every speaker.
    mutating func lower(channelCount: Int) -> GuidanceTier {
        // The transcript decoders go back first, so that another call can have them at once.
        _ = first.take()
        _ = second.take()
        var problems: [RecognizerError] = []
        var next = tier.lower
        while let candidate = next, let playbook {
            if var recognizers = resources.acquire(candidate, channelCount: channelCount, playbook: playbook, problems: &problems) {
                first = recognizers.first.take()
                second = recognizers.second.take()
                tier = candidate
                return candidate
            }
            next = candidate.lower
        }
        tier = .dynamics
        return .dynamics
    }

    /// Matches the lease to the channel count the stream's header gave, which may differ from what was asked
    /// for: a mono call gives back its second decoder; a stereo call leased as mono leases a second one of the
    /// same kind, or moves down a tier.
    mutating func fit(channelCount: Int) {
        if channelCount == 1 {
            _ = second.take()
            return
        }
        guard tier != .dynamics, second == nil else { return }
        if let mode = first?.mode, let pool = resources.pool, let extra = try? pool.acquire(mode) {
            second = consume extra
        } else {
            _ = lower(channelCount: channelCount)
        }
    }

    /// Feeds one 20 ms frame of every channel (`frame` holds the channels' 320 samples one after the other) to
    /// its speaker's recognizer with the VAD's decision, appending what was recognized and on which channel.
    mutating func process(_ frame: [Int16], activity: SpeechActivity, frameIndex: Int,
                          into events: inout [(channel: Int, event: RecognitionEvent)], scratch: inout [RecognitionEvent]) {
        let length = AnalysisFrame.sampleCount
        if var recognizer = first.take() {
            recognizer.process(frame[0..<length], isSpeech: activity.isSpeaking(channel: 0), frameIndex: frameIndex, into: &scratch)
            first = consume recognizer
            Self.move(&scratch, channel: 0, into: &events)
        }
        if var recognizer = second.take() {
            recognizer.process(frame[length..<(2 * length)], isSpeech: activity.isSpeaking(channel: 1), frameIndex: frameIndex, into: &scratch)
            second = consume recognizer
            Self.move(&scratch, channel: 1, into: &events)
        }
    }

    /// Ends every open utterance with its final result: the stream ended, or its audio stops being contiguous.
    mutating func finish(into events: inout [(channel: Int, event: RecognitionEvent)], scratch: inout [RecognitionEvent]) {
        if var recognizer = first.take() {
            recognizer.finish(into: &scratch)
            first = consume recognizer
            Self.move(&scratch, channel: 0, into: &events)
        }
        if var recognizer = second.take() {
            recognizer.finish(into: &scratch)
            second = consume recognizer
            Self.move(&scratch, channel: 1, into: &events)
        }
    }

    private static func move(_ scratch: inout [RecognitionEvent], channel: Int,
                             into events: inout [(channel: Int, event: RecognitionEvent)]) {
        guard !scratch.isEmpty else { return }
        for event in scratch { events.append((channel, event)) }
        scratch.removeAll(keepingCapacity: true)
    }
}
