import Foundation
import Testing

@testable import EarpieceAudio

@Suite("Ogg Opus writing")
struct OggOpusWriterTests {
    /// Rewrites a fixture's packets with our writer, flushing pages at an odd cadence.
    static func rewrite(_ name: String) throws -> (original: OggOpusReader, packets: [OpusStreamPacket], output: [UInt8]) {
        var reader = OggOpusReader()
        let packets = try reader.push(try Fixture.bytes(name))
        try reader.finish()
        let head = try #require(reader.head)
        var writer = OggOpusWriter(head: head, serial: 0x5EA1ED)
        var output = writer.headerPages()
        for (index, packet) in packets.enumerated() {
            output += try writer.append(packet.data)
            if index % 37 == 36 { output += writer.flush() }
        }
        output += writer.finish(playbackSamples: reader.playbackSampleCount)
        return (reader, packets, output)
    }

    @Test("opusinfo accepts what we write and opusdec decodes it to the input's length", arguments: ["calls/pricing-call.opus", "calls/mono-call.opus"])
    func referenceToolsAcceptTheOutput(fixture: String) throws {
        let (original, _, output) = try Self.rewrite(fixture)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("rewritten.opus"), wav = dir.appendingPathComponent("decoded.wav")
        try Data(output).write(to: file)

        let info = try run("opusinfo", [file.path])
        #expect(info.status == 0, "opusinfo: \(info.output)")
        #expect(!info.output.contains("WARNING") && !info.output.contains("ERROR"), "opusinfo: \(info.output)")

        let decode = try run("opusdec", ["--quiet", "--rate", "48000", file.path, wav.path])
        #expect(decode.status == 0, "opusdec: \(decode.output)")
        let samples = try run("soxi", ["-s", wav.path]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int64(samples) == original.playbackSampleCount)
    }

    @Test func readingWhatWeWroteGivesBackEveryPacketAndTheDuration() throws {
        let (original, packets, output) = try Self.rewrite("calls/pricing-call.opus")
        var reader = OggOpusReader()
        let again = try reader.push(output)
        try reader.finish()
        #expect(again.map(\.data) == packets.map(\.data))
        #expect(again.map(\.timestampMicros) == packets.map(\.timestampMicros))
        #expect(reader.playbackSampleCount == original.playbackSampleCount)
        #expect(reader.reachedEndOfStream)
    }

    @Test func pagesCloseAtTheConfiguredDurationAndOnFlush() throws {
        var writer = OggOpusWriter(head: OpusHead(channelCount: 1, preSkip: 312), serial: 1, maxPageSamples: 48_000)
        _ = writer.headerPages()
        let packet: [UInt8] = [0xFC, 0, 0]  // 20 ms of CELT
        var pages = 0
        for _ in 0..<100 where try !writer.append(packet).isEmpty { pages += 1 }
        #expect(pages == 2)  // 50 packets of 20 ms fill each 1 s page
        #expect(writer.flush().isEmpty)
        _ = try writer.append(packet)
        #expect(!writer.flush().isEmpty)
        #expect(writer.granulePosition == 101 * 960)
    }

    @Test func anEndOfStreamPageAloneEndsAFlushedStream() throws {
        var writer = OggOpusWriter(head: OpusHead(channelCount: 1, preSkip: 312), serial: 1)
        var bytes = writer.headerPages()
        for _ in 0..<10 { bytes += try writer.append([0xFC, 0, 0]) }
        bytes += writer.flush()
        bytes += writer.finish()
        var reader = OggOpusReader()
        #expect(try reader.push(bytes).count == 10)
        try reader.finish()
        #expect(reader.reachedEndOfStream)
        #expect(reader.playbackSampleCount == Int64(10 * 960 - 312))
    }
}
