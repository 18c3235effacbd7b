import EarpieceAudio
import EarpieceGuidance

/// The second stage of a call: queued packets in, decoded audio through the guidance loop, messages out.
///
/// It keeps the call's clock: every packet's audio counts, whether analysed, concealed or skipped because
/// guidance fell behind, so `audio_time_ms` is the same on every run of the same audio.
struct GuidanceWorker: ~Copyable {
    private var decoder: OpusDecoder
    private var loop: GuidanceLoop
    private var pcm: PCMBuffer
    private var events: [GuidanceEvent] = []
    /// Samples per channel at 16 kHz since the stream's first sample.
    private(set) var audioSamples = 0
    private var samplesSinceLastSkip = Int.max
    /// After a skip the decoder must not take the missing packets for losses to conceal.
    private var chainBroken = false
    /// Whether `transcript` messages go out (the token's scope); the loop makes them either way.
    private let sendsTranscripts: Bool
    /// Audio analysed since the call last moved down a tier; moving again waits for a few seconds of it, so
    /// that one slow moment costs one tier, not all of them.
    private var samplesSinceTierChange = Int.max
    private static let tierChangeGapSamples = 5 * 16_000

    /// A degraded episode ends after this much audio analysed without a skip.
    private static let episodeGapSamples = 10 * 16_000

    /// Where this stream starts in the call's audio (a resumed call's earlier parts); added to every time sent.
    private let offsetMs: Int

    /// A worker for a stream of the format `head` describes, with the speech analysis its call was admitted to.
    init(head: OpusHead, configuration: GuidanceConfiguration, speech: consuming SpeechLease,
         sendsTranscripts: Bool, offsetMs: Int = 0) throws(AudioFormatError) {
        let decoder = try OpusDecoder(channelCount: head.channelCount, preSkip: head.preSkip)
        let loop: GuidanceLoop
        do {
            loop = try GuidanceLoop(channelCount: head.channelCount, configuration: configuration, speech: speech)
        } catch {
            throw .unsupported(.opus, error.description)
        }
        self.decoder = decoder
        self.loop = loop
        self.sendsTranscripts = sendsTranscripts
        self.offsetMs = offsetMs
        pcm = PCMBuffer(channelCount: head.channelCount, reservingCapacity: OpusDecoder.maxSamplesPerPacket * 2)
    }

    /// The call's clock: this stream's audio after what the call held before it.
    var audioTimeMs: Int { offsetMs + audioSamples / 16 }

    /// The tier the call is analysed in now.
    var tier: GuidanceTier { loop.tier }

    /// Candidate hints the policy held back so far, per reason.
    var suppressedHints: [HintPolicy.Suppression: Int] { loop.suppressedHints }

    /// Runs one packet through decode and guidance.
    mutating func process(_ packet: GuidanceQueue.QueuedPacket) throws(AudioFormatError) -> [ServerMessage] {
        var messages: [ServerMessage] = []
        if packet.skippedBefore > 0 {
            messages += skip(samples48k: packet.skippedBefore)
        }
        pcm.removeAll()
        try decoder.decode(packet.data, sequence: chainBroken ? nil : packet.sequence, into: &pcm)
        chainBroken = false
        audioSamples += pcm.frameCount
        if samplesSinceLastSkip != .max { samplesSinceLastSkip += pcm.frameCount }
        if samplesSinceTierChange != .max { samplesSinceTierChange += pcm.frameCount }
        loop.process(pcm, into: &events)
        messages += drainEvents()
        return messages
    }

    /// Ends the speakers' open utterances at the end of the stream, with what they earn.
    mutating func finish() -> [ServerMessage] {
        loop.finish(into: &events)
        return drainEvents()
    }

    /// Accounts for audio whose analysis was skipped, and says so once per degraded episode.
    mutating func skip(samples48k: Int) -> [ServerMessage] {
        let samples = decoder.passOver(samples: samples48k)
        guard samples > 0 else { return [] }
        audioSamples += samples
        var messages: [ServerMessage] = []
        if samplesSinceLastSkip >= Self.episodeGapSamples {
            messages.append(.warning(.init(
                code: "guidance_degraded",
                message: "guidance fell behind real time; analysis of some audio was skipped to catch up",
                skippedMs: samples / 16)))
        }
        samplesSinceLastSkip = 0
        chainBroken = true
        // Behind real time: a cheaper tier is what lets the call catch up and stay caught up.
        if loop.tier != .dynamics, samplesSinceTierChange >= Self.tierChangeGapSamples {
            loop.lowerTier(into: &events)
            samplesSinceTierChange = 0
        }
        loop.advanceWithoutAnalysis(sampleCount: samples, into: &events)
        messages += drainEvents()
        return messages
    }

    private mutating func drainEvents() -> [ServerMessage] {
        defer { events.removeAll(keepingCapacity: true) }
        return events.compactMap { event in
            if case .transcript = event, !sendsTranscripts { return nil }
            return message(for: event)
        }
    }

    private func message(for event: GuidanceEvent) -> ServerMessage {
        switch event {
        case .hint(var hint):
            hint.audioTimeMs += offsetMs
            return .hint(hint)
        case .dynamics(var snapshot):
            snapshot.audioTimeMs += offsetMs
            return .dynamics(snapshot)
        case .transcript(var line):
            line.startMs += offsetMs
            line.endMs += offsetMs
            return .transcript(line)
        case .tierChanged(let tier, _):
            return .warning(.init(
                code: "tier_changed",
                message: "guidance fell behind real time; the call continues with \(tier.rawValue) guidance",
                tier: tier.rawValue))
        }
    }
}
