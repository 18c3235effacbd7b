import EarpieceAudio
import Foundation
import Testing

/// The demuxer on what a browser really sends: Fixtures/calls/chromium-mediarecorder.webm holds the binary
/// messages headless Chromium's MediaRecorder (`audio/webm;codecs=opus`, 100 ms slices) sent to the gateway in
/// the browser test's fallback run, with the fake microphone playing mono-call.
@Suite struct ChromiumWebMTests {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/calls/chromium-mediarecorder.webm")

    private func fixture() throws -> [UInt8] {
        try #require(FileManager.default.contents(atPath: Self.url.path).map { Array($0) }, "missing \(Self.url.path)")
    }

    @Test func chromiumWritesALiveStreamOfUnknownSizeWhichTheDemuxerReadsWhole() throws {
        let bytes = try fixture()
        // A recorder cannot know its sizes up front: the Segment's size is "unknown" (8 bytes, all value bits set).
        let segmentID: [UInt8] = [0x18, 0x53, 0x80, 0x67]
        let at = try #require((0...(bytes.count - 12)).first { bytes[$0..<$0 + 4].elementsEqual(segmentID) })
        #expect(Array(bytes[(at + 4)..<(at + 12)]) == [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])

        let outcome = WebMDemuxOutcome(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.head?.channelCount == 1)
        let packets = outcome.packets
        #expect(packets.map(\.sequence) == Array(0..<UInt64(packets.count)))
        // About the fixture's 37 s of audio, plus the moments before and after the fake device played it.
        var samples = 0
        for packet in packets { samples += try OpusPacketInfo(packet: packet.data).sampleCount }
        #expect((36 * 48_000...42 * 48_000).contains(samples), "\(samples) samples")
        // Block timestamps follow the audio. Chromium stamps blocks from its capture clock, which wanders from the
        // sample count (up to 9 ms in this file), so each is within 20 ms of where the samples put it; a misread
        // cluster time or block offset would be off by whole packets (60 ms each here).
        let timestamps = packets.compactMap(\.timestampMicros)
        #expect(timestamps.count == packets.count)
        var before = 0
        let preSkip = outcome.head?.preSkip ?? 0
        for (packet, timestamp) in zip(packets, timestamps) {
            let expected = Int64(before - preSkip) * 1000 / 48
            #expect(abs(timestamp - expected) <= 20_000, "packet \(packet.sequence) at \(timestamp) µs, audio says \(expected)")
            before += try OpusPacketInfo(packet: packet.data).sampleCount
        }
    }

    @Test func anySlicingOfTheBrowsersBytesGivesTheSamePackets() throws {
        let bytes = try fixture()
        let whole = WebMDemuxOutcome(bytes)
        // The browser's own slicing is lost in the file; 1 byte at a time and odd-sized pieces stand in for it.
        #expect(WebMDemuxOutcome(byteAtATime: bytes) == whole)
        let offsets = Array(stride(from: 997, to: bytes.count, by: 997))
        #expect(WebMDemuxOutcome(bytes, splitAt: offsets) == whole)
    }

    @Test func theBrowsersAudioDecodesWithoutGaps() throws {
        var decoder = try OpusDecoder(channelCount: 1)
        var pcm = PCMBuffer(channelCount: 1)
        for packet in WebMDemuxOutcome(try fixture()).packets { _ = try decoder.decode(packet.data, into: &pcm) }
        // 16 kHz out: about 38 s.
        #expect(pcm.frameCount > 36 * 16_000)
    }
}
