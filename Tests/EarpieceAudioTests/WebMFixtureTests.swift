import EarpieceAudio
import Testing

/// The demuxer on a real file: Fixtures/calls/pricing-call.webm, muxed by ffmpeg from pricing-call.opus.
@Suite struct WebMFixtureTests {
    private func fixture() throws -> [UInt8] {
        try #require(WebMFixture.pricingCall(), "missing \(WebMFixture.url.path); run Fixtures/make-fixtures.sh")
    }

    @Test func theRealRecordingHasAStereoHeadWithOpusencsPreSkip() throws {
        let outcome = WebMDemuxOutcome(try fixture())
        #expect(outcome.error == nil)
        // opusenc writes 312 samples of pre-skip at 48 kHz; ffmpeg copies it into CodecPrivate (and CodecDelay).
        #expect(outcome.head?.channelCount == 2)
        #expect(outcome.head?.preSkip == 312)
    }

    @Test func theRealRecordingsPacketsAreNonEmptyInOrderAndCoverItsDuration() throws {
        let bytes = try fixture()
        let outcome = WebMDemuxOutcome(bytes)
        #expect(outcome.error == nil)
        let packets = outcome.packets
        #expect(packets.count > 1000)
        #expect(packets.map(\.sequence) == Array(0..<UInt64(packets.count)))
        #expect(packets.allSatisfy { !$0.data.isEmpty })
        let timestamps = packets.compactMap(\.timestampMicros)
        #expect(timestamps.count == packets.count)
        #expect(zip(timestamps, timestamps.dropFirst()).allSatisfy { $0 < $1 })

        // Block timestamps are whole milliseconds (TimestampScale 1 ms) less the CodecDelay: each is
        // within a millisecond of where the audio before it, less the pre-skip, puts it (as Ogg would).
        let preSkip = try #require(outcome.head?.preSkip)
        var samples = 0
        for (packet, timestamp) in zip(packets, timestamps) {
            let expected = Int64(samples - preSkip) * 1000 / 48
            #expect(abs(timestamp - expected) <= 1000, "packet \(packet.sequence) at \(timestamp) µs, audio says \(expected)")
            samples += try OpusPacketInfo(packet: packet.data).sampleCount
        }
        // ffmpeg's DURATION tag is the playable length: all samples less the pre-skip and less the end padding
        // its last BlockGroup declares (DiscardPadding, which the demuxer does not report), rounded to the
        // millisecond. So the packets hold at most one last packet more than the tag, and never less.
        let tagged = try #require(Self.taggedDurationMicros(bytes), "no DURATION tag")
        let playable = Int64(samples - preSkip) * 1000 / 48
        let lastPacketMicros = Int64(try OpusPacketInfo(packet: try #require(packets.last).data).sampleCount) * 1000 / 48
        #expect(playable - tagged >= -2000, "packets hold \(playable) µs, DURATION says \(tagged) µs")
        #expect(playable - tagged <= lastPacketMicros + 2000, "packets hold \(playable) µs, DURATION says \(tagged) µs")
    }

    @Test func theRealRecordingRewrittenWithUnknownSizesYieldsTheSamePackets() throws {
        let bytes = try fixture()
        let rewritten = try #require(WebMFixture.withUnknownSizes(bytes))
        #expect(rewritten != bytes)
        let original = WebMDemuxOutcome(bytes)
        let live = WebMDemuxOutcome(rewritten)
        #expect(live.error == nil)
        #expect(live.head == original.head)
        #expect(live.packets == original.packets)
    }

    /// The "HH:MM:SS.nnnnnnnnn" string ffmpeg writes in a SimpleTag named DURATION, in microseconds.
    private static func taggedDurationMicros(_ bytes: [UInt8]) -> Int64? {
        let name = Array("DURATION".utf8)
        guard let nameAt = (0...(bytes.count - name.count)).first(where: { bytes[$0..<$0 + name.count].elementsEqual(name) }) else {
            return nil
        }
        // TagString (44 87), a one-byte size, then the text.
        let rest = bytes[(nameAt + name.count)...]
        guard rest.count > 3, rest.starts(with: [0x44, 0x87]) else { return nil }
        let length = Int(rest[rest.startIndex + 2] & 0x7F)
        let text = String(decoding: rest.dropFirst(3).prefix(length), as: UTF8.self)
        let fields = text.split(separator: ":")
        guard fields.count == 3, let hours = Double(fields[0]), let minutes = Double(fields[1]),
              let seconds = Double(fields[2].filter { $0 != "\0" })
        else { return nil }
        return Int64(((hours * 60 + minutes) * 60 + seconds) * 1_000_000)
    }
}
