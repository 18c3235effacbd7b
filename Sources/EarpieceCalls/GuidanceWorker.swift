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
    /// Samples per channel at 16 kHz since the stream's first sample.
    private(set) var audioSamples = 0
    private var samplesSinceLastSkip = Int.max
    /// After a skip the decoder must not take the missing packets for losses to conceal.
    private var chainBroken = false

    /// A degraded episode ends after this much audio analysed without a skip.
    private static let episodeGapSamples = 10 * 16_000

    /// A worker for a stream of the format `head` describes.
    init(head: OpusHead, configuration: GuidanceConfiguration) throws(AudioFormatError) {
        let decoder = try OpusDecoder(channelCount: head.channelCount, preSkip: head.preSkip)
        let loop: GuidanceLoop
        do {
            loop = try GuidanceLoop(channelCount: head.channelCount, configuration: configuration)
        } catch {
            throw .unsupported(.opus, error.description)
        }
        self.decoder = decoder
        self.loop = loop
        pcm = PCMBuffer(channelCount: head.channelCount, reservingCapacity: OpusDecoder.maxSamplesPerPacket * 2)
    }

    var audioTimeMs: Int { audioSamples / 16 }

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
        messages += loop.process(pcm).map(Self.message)
        return messages
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
        messages += loop.advanceWithoutAnalysis(sampleCount: samples).map(Self.message)
        return messages
    }

    private static func message(for event: GuidanceEvent) -> ServerMessage {
        switch event {
        case .hint(let hint): .hint(hint)
        case .dynamics(let snapshot): .dynamics(snapshot)
        case .transcript(let line): .transcript(line)
        case .tierChanged(let tier, _):
            .warning(.init(
                code: "tier_changed",
                message: "guidance fell behind real time; the call continues with \(tier.rawValue) guidance",
                tier: tier.rawValue))
        }
    }
}
