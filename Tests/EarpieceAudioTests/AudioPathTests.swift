import Foundation
import Testing

@testable import EarpieceAudio

/// The whole audio path on the fixture calls: what a browser sends becomes the audio the timeline describes.
@Suite("The audio path on fixture calls")
struct AudioPathTests {
    struct Timeline: Decodable {
        struct Utterance: Decodable {
            var speaker: String
            var start_s: Double
            var end_s: Double
        }
        struct Window: Decodable {
            var kind: String
            var start_s: Double
            var end_s: Double
        }
        var channels: Int
        var duration_s: Double
        var utterances: [Utterance]
        var windows: [Window]?
    }

    static func timeline(_ name: String) throws -> Timeline {
        try JSONDecoder().decode(Timeline.self, from: Data(Fixture.bytes("calls/\(name).json")))
    }

    /// Demuxes and decodes a whole file through the sniffing demuxer, as `earpiece replay` does.
    static func decode(_ file: String) throws -> (pcm: PCMBuffer, packets: [OpusStreamPacket], playback: Int64?) {
        var demuxer = SniffingDemuxer()
        let bytes = try Fixture.bytes(file)
        var packets: [OpusStreamPacket] = []
        for start in stride(from: 0, to: bytes.count, by: 3000) {
            packets += try demuxer.push(Array(bytes[start..<min(bytes.count, start + 3000)]))
        }
        try demuxer.finish()
        let head = try #require(demuxer.head)
        var decoder = try OpusDecoder(channelCount: head.channelCount, preSkip: head.preSkip)
        var pcm = PCMBuffer(channelCount: head.channelCount)
        for packet in packets { try decoder.decode(packet.data, sequence: packet.sequence, into: &pcm) }
        return (pcm, packets, demuxer.playbackSampleCount)
    }

    @Test func theWebMFixtureCarriesTheSamePacketsAsTheOggFileItCameFrom() throws {
        let ogg = try Self.decode("calls/pricing-call.opus")
        let webm = try Self.decode("calls/pricing-call.webm")
        #expect(webm.packets.count == ogg.packets.count)
        #expect(webm.packets.map(\.data) == ogg.packets.map(\.data))
        #expect(webm.packets.map(\.sequence) == ogg.packets.map(\.sequence))
        // WebM keeps time in milliseconds, Ogg in samples: they agree to within a millisecond.
        for (a, b) in zip(webm.packets, ogg.packets) {
            let difference = abs((a.timestampMicros ?? .max) - (b.timestampMicros ?? 0))
            #expect(difference <= 1000, "packet \(a.sequence): WebM \(String(describing: a.timestampMicros)) µs, Ogg \(String(describing: b.timestampMicros)) µs")
            if difference > 1000 { break }
        }
        #expect(webm.pcm == ogg.pcm)
    }

    @Test("decoded length matches the timeline", arguments: ["pricing-call", "monologue-call", "mono-call"])
    func decodedLengthMatchesTheTimeline(call: String) throws {
        let timeline = try Self.timeline(call)
        let decoded = try Self.decode("calls/\(call).opus")
        #expect(decoded.pcm.channels.count == timeline.channels)
        let playback = try #require(decoded.playback)
        #expect(abs(Double(playback) / 48_000 - timeline.duration_s) < 0.001)
        // The decoder gives every sample of every packet; the stream's end trim is under one packet.
        #expect(abs(Double(decoded.pcm.frameCount) / 16_000 - timeline.duration_s) < 0.02)
    }

    @Test func eachSpeakerIsHeardOnTheirOwnChannelWhenTheTimelineSaysSo() throws {
        let timeline = try Self.timeline("pricing-call")
        let pcm = try Self.decode("calls/pricing-call.opus").pcm
        for utterance in timeline.utterances where utterance.end_s - utterance.start_s > 1 {
            let speaking = utterance.speaker == "rep" ? 0 : 1
            let range = Self.samples(utterance.start_s + 0.2, utterance.end_s - 0.2, in: pcm)
            let own = rms(pcm.channels[speaking][range]), other = rms(pcm.channels[1 - speaking][range])
            #expect(own > 500, "\(utterance.speaker) at \(utterance.start_s) s is too quiet: \(own)")
            #expect(other < own / 10, "\(utterance.speaker) at \(utterance.start_s) s leaks into the other channel")
        }
    }

    @Test func theLongSilenceIsSilentAndTheMonologueIsTheRepsAlone() throws {
        let timeline = try Self.timeline("monologue-call")
        let pcm = try Self.decode("calls/monologue-call.opus").pcm
        let silence = try #require(timeline.windows?.first { $0.kind == "silence" })
        let monologue = try #require(timeline.windows?.first { $0.kind == "monologue" })
        #expect(silence.end_s - silence.start_s >= 10)
        #expect(monologue.end_s - monologue.start_s >= 60)
        let quiet = Self.samples(silence.start_s + 0.1, silence.end_s - 0.1, in: pcm)
        #expect(pcm.channels.allSatisfy { rms($0[quiet]) < 30 })
        let talk = Self.samples(monologue.start_s, monologue.end_s, in: pcm)
        #expect(rms(pcm.channels[0][talk]) > 1000)
        #expect(rms(pcm.channels[1][talk]) < 30)
    }

    @Test func theInspectorReportsWhatReplayPrints() throws {
        var demuxer = SniffingDemuxer()
        let packets = try demuxer.push(try Fixture.bytes("calls/mono-call.opus"))
        var inspector = try StreamInspector(container: .ogg, head: try #require(demuxer.head))
        for packet in packets { try inspector.add(packet) }
        let report = inspector.summary
        #expect(report.channels == 1)
        #expect(report.packets == UInt64(packets.count))
        #expect(report.gaps == 0 && report.lostPackets == 0)
        #expect(abs(report.durationSeconds - 36.97) < 0.05)
        #expect(report.channelLevelsDBFS.count == 1 && report.channelLevelsDBFS[0] > -30)
    }

    @Test func theInspectorCountsGapsInARawStream() throws {
        var reader = OggOpusReader()
        let packets = try reader.push(try Fixture.bytes("calls/mono-call.opus"))
        var inspector = try StreamInspector(container: .raw, head: OpusHead(channelCount: 1, preSkip: 0))
        for packet in packets where ![10, 11, 500].contains(packet.sequence) {
            let frame = try RawPacketFrame(parsing: RawPacketFrame(sequence: UInt32(packet.sequence), captureTimeMicros: 0, packet: packet.data).serialized)
            try inspector.add(frame.streamPacket)
        }
        let report = inspector.summary
        #expect(report.gaps == 2)
        #expect(report.lostPackets == 3)
        #expect(report.concealedSamples == 3 * 320)
        #expect(report.decodedSamples == packets.count * 320)
    }

    static func samples(_ start: Double, _ end: Double, in pcm: PCMBuffer) -> Range<Int> {
        let lower = max(0, Int(start * 16_000)), upper = min(pcm.frameCount, Int(end * 16_000))
        return lower..<max(lower, upper)
    }
}
