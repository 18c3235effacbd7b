import EarpieceAudio

/// The per-call guidance pipeline: 16 kHz PCM in, hints, transcripts and dynamics snapshots out, in audio order.
///
/// Audio arrives in chunks of any length; the loop cuts it into 20 ms frames (carrying the remainder to the
/// next chunk) and runs each frame through its stages: a voice activity detector per channel; in the richer
/// tiers a recognizer per speaker and its content stage (`TranscriptIntents` or `KeyphraseIntents`); then
/// `ConversationDynamics` and `DynamicsHintRules`; and every candidate hint through the call's `HintPolicy`
/// (`docs/guidance.md`). The result depends only on the audio, never on how it was chunked. Buffers are sized at creation, so a steady stream analyses frames without allocating; only
/// the events themselves (a snapshot a second, the odd hint) allocate.
///
/// When the gateway falls behind real time it can call `advanceWithoutAnalysis(sampleCount:)` instead of
/// `process(_:)`: the clock moves on, the talk window slides, and silences and monologues stay as they were.
public struct GuidanceLoop: ~Copyable, Sendable {
    /// 1 (mono: one `unknown` speaker) or 2 (channel 0 the rep, channel 1 the customer).
    public let channelCount: Int
    public let configuration: GuidanceConfiguration
    /// The conversation so far.
    public private(set) var dynamics: ConversationDynamics

    private var firstChannelVAD: VoiceActivityDetector
    private var secondChannelVAD: VoiceActivityDetector?
    private var rules: DynamicsHintRules
    private var policy: HintPolicy
    private var speech: SpeechLease
    private var transcriptIntents: TranscriptIntents?
    private var keyphraseIntents: KeyphraseIntents?
    private let speakers: [Speaker]
    /// What the recognizers produced in the current frame, kept to reuse their storage.
    private var recognized: [(channel: Int, event: RecognitionEvent)] = []
    private var recognizerScratch: [RecognitionEvent] = []
    /// Candidate hints of the current frame, before the policy; kept to reuse its storage.
    private var candidates: [Hint] = []
    private let snapshotFrames: Int
    /// The frame being filled: `channelCount` runs of `AnalysisFrame.sampleCount` samples.
    private var frame: [Int16]
    private var pendingSamples = 0
    /// The frame being filled holds skipped audio, so it will not be analysed either.
    private var pendingIsUnanalysed = false

    /// Creates the loop of one call, with the speech analysis its tier was admitted to (none: dynamics only).
    public init(channelCount: Int, configuration: GuidanceConfiguration = GuidanceConfiguration(),
                speech: consuming SpeechLease = .dynamics()) throws(GuidanceError) {
        guard channelCount == 1 || channelCount == 2 else { throw .unsupportedChannelCount(channelCount) }
        // Both detectors exist before any stored property is set: a throw then leaves nothing half-built.
        let first = try VoiceActivityDetector(configuration: configuration.voiceActivity)
        var second: VoiceActivityDetector?
        if channelCount == 2 { second = try VoiceActivityDetector(configuration: configuration.voiceActivity) }
        firstChannelVAD = first
        secondChannelVAD = second
        self.channelCount = channelCount
        self.configuration = configuration
        dynamics = ConversationDynamics(channelCount: channelCount, configuration: configuration.dynamics)
        rules = DynamicsHintRules(configuration: configuration.hints)
        policy = HintPolicy(configuration: configuration.policy ?? speech.playbook.map(HintPolicy.Configuration.init(playbook:)) ?? .init())
        speakers = Speaker.byChannel(channelCount: channelCount)
        speech.fit(channelCount: channelCount)
        self.speech = speech
        snapshotFrames = max(1, AnalysisFrame.count(covering: configuration.snapshotInterval))
        frame = [Int16](repeating: 0, count: channelCount * AnalysisFrame.sampleCount)
        candidates.reserveCapacity(8)
        recognized.reserveCapacity(8)
        recognizerScratch.reserveCapacity(8)
        buildContentStages()
    }

    /// How much analysis the call gets now.
    public var tier: GuidanceTier { speech.tier }

    /// Position in the call's audio: every sample processed or skipped, in milliseconds.
    public var audioTimeMs: Int {
        (dynamics.frameCount * AnalysisFrame.sampleCount + pendingSamples) * 1000 / AnalysisFrame.sampleRate
    }

    /// Analyses a chunk of 16 kHz audio of any length and returns what it caused.
    public mutating func process(_ pcm: PCMBuffer) -> [GuidanceEvent] {
        var events: [GuidanceEvent] = []
        process(pcm, into: &events)
        return events
    }

    /// Analyses a chunk of 16 kHz audio of any length, appending what it caused to `events`.
    ///
    /// `pcm` must have the loop's channel count and rate, as the decoder of the same stream writes; anything
    /// else is a programming error and traps.
    public mutating func process(_ pcm: PCMBuffer, into events: inout [GuidanceEvent]) {
        precondition(pcm.channels.count == channelCount, "PCMBuffer has \(pcm.channels.count) channels, the loop \(channelCount)")
        precondition(pcm.sampleRate == AnalysisFrame.sampleRate, "guidance analyses 16 kHz audio, not \(pcm.sampleRate) Hz")
        // Not `pcm.frameCount`: its generic `first` allocates per call in debug builds.
        let available = pcm.channels[0].count
        var offset = 0
        while offset < available {
            let count = min(AnalysisFrame.sampleCount - pendingSamples, available - offset)
            for channel in 0..<channelCount {
                let start = channel * AnalysisFrame.sampleCount + pendingSamples
                Self.copy(pcm.channels[channel][offset..<(offset + count)], into: &frame, at: start)
            }
            pendingSamples += count
            offset += count
            if pendingSamples == AnalysisFrame.sampleCount { completeFrame(into: &events) }
        }
    }

    /// Moves the clock on by `sampleCount` samples per channel (16 kHz) without analysing them, for when the
    /// gateway falls behind real time.
    ///
    /// The skipped audio counts as unanalysed, not as silence: it slides the talk window but neither starts nor
    /// ends a silence, monologue or overlap, so falling behind never invents a hint. Snapshots due in the
    /// skipped span are still emitted, so the client's clock keeps moving.
    public mutating func advanceWithoutAnalysis(sampleCount: Int) -> [GuidanceEvent] {
        var events: [GuidanceEvent] = []
        advanceWithoutAnalysis(sampleCount: sampleCount, into: &events)
        return events
    }

    /// Moves the clock on by `sampleCount` samples per channel without analysing them, appending to `events`.
    public mutating func advanceWithoutAnalysis(sampleCount: Int, into events: inout [GuidanceEvent]) {
        var remaining = max(0, sampleCount)
        while remaining > 0 {
            let count = min(AnalysisFrame.sampleCount - pendingSamples, remaining)
            pendingIsUnanalysed = true
            pendingSamples += count
            remaining -= count
            if pendingSamples == AnalysisFrame.sampleCount { completeFrame(into: &events) }
        }
    }

    /// Advances by one 20 ms frame whose speech decisions were made elsewhere (a test, another detector).
    public mutating func advance(_ activity: SpeechActivity, into events: inout [GuidanceEvent]) {
        precondition(pendingSamples == 0, "a frame of speech decisions cannot follow part of a frame of audio")
        step(activity, into: &events)
    }

    private mutating func completeFrame(into events: inout [GuidanceEvent]) {
        var activity = SpeechActivity.unanalysed
        if !pendingIsUnanalysed {
            activity = .silence
            let length = AnalysisFrame.sampleCount
            if firstChannelVAD.isSpeech(frame[0..<length]) { activity.markSpeaking(channel: 0) }
            if secondChannelVAD?.isSpeech(frame[length..<(2 * length)]) == true { activity.markSpeaking(channel: 1) }
            if speech.tier != .dynamics {
                speech.process(frame, activity: activity, frameIndex: dynamics.frameCount, into: &recognized, scratch: &recognizerScratch)
                handleRecognized(atMs: (dynamics.frameCount + 1) * AnalysisFrame.durationMs, into: &events)
            }
        }
        pendingSamples = 0
        pendingIsUnanalysed = false
        step(activity, into: &events)
    }

    private mutating func step(_ activity: SpeechActivity, into events: inout [GuidanceEvent]) {
        dynamics.advance(activity)
        rules.evaluate(dynamics, into: &candidates)
        admitCandidates(into: &events)
        if dynamics.frameCount % snapshotFrames == 0 { events.append(.dynamics(dynamics.snapshot())) }
    }

    /// Ends the speakers' open utterances (the stream ended): their final words and any hints they earn.
    public mutating func finish(into events: inout [GuidanceEvent]) {
        guard speech.tier != .dynamics else { return }
        speech.finish(into: &recognized, scratch: &recognizerScratch)
        handleRecognized(atMs: audioTimeMs, into: &events)
        admitCandidates(into: &events)
    }

    /// Moves the call to the next cheaper tier, for a call that fell behind real time: open utterances end with
    /// what they have, this tier's decoders go back to the pool, and a `tierChanged` event says where it went.
    public mutating func lowerTier(into events: inout [GuidanceEvent]) {
        guard speech.tier != .dynamics else { return }
        finish(into: &events)
        let tier = speech.lower(channelCount: channelCount)
        buildContentStages()
        events.append(.tierChanged(tier, audioTimeMs: audioTimeMs))
    }

    private mutating func buildContentStages() {
        transcriptIntents = nil
        keyphraseIntents = nil
        guard let playbook = speech.playbook else { return }
        switch speech.tier {
        case .transcript:
            if let model = speech.intentModel {
                transcriptIntents = TranscriptIntents(
                    model: model, playbook: playbook, speakers: speakers, updates: .live(speakers: speakers))
            }
        case .keyphrase:
            keyphraseIntents = KeyphraseIntents(playbook: playbook, speakers: speakers)
        case .dynamics:
            break
        }
    }

    /// Turns what the recognizers produced into transcript events and candidate hints decided at `atMs`.
    private mutating func handleRecognized(atMs: Int, into events: inout [GuidanceEvent]) {
        guard !recognized.isEmpty else { return }
        for (channel, event) in recognized {
            switch event {
            case .transcript(let update):
                if let startMs = update.startMs, let endMs = update.endMs {
                    events.append(.transcript(TranscriptLine(
                        speaker: speakers[channel], text: update.text, isFinal: update.isFinal, startMs: startMs, endMs: endMs)))
                }
                transcriptIntents?.handle(update, channel: channel, audioTimeMs: atMs, into: &candidates)
            case .keyphrase(let hit):
                keyphraseIntents?.handle(hit, channel: channel, audioTimeMs: atMs, into: &candidates)
            }
        }
        recognized.removeAll(keepingCapacity: true)
    }

    private mutating func admitCandidates(into events: inout [GuidanceEvent]) {
        guard !candidates.isEmpty else { return }
        for candidate in candidates {
            if case .success(let hint) = policy.admit(candidate) { events.append(.hint(hint)) }
        }
        candidates.removeAll(keepingCapacity: true)
    }

    /// Candidates the hint policy held back so far, per reason.
    public var suppressedHints: [HintPolicy.Suppression: Int] { policy.suppressed }

    private static func copy(_ source: ArraySlice<Int16>, into destination: inout [Int16], at start: Int) {
        destination.withUnsafeMutableBufferPointer { target in
            source.withUnsafeBufferPointer { samples in
                _ = UnsafeMutableBufferPointer(rebasing: target[start..<(start + samples.count)]).update(fromContentsOf: samples)
            }
        }
    }
}
