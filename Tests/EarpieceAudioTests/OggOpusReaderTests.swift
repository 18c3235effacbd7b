import Foundation
import Testing

@testable import EarpieceAudio

@Suite("Ogg Opus reading")
struct OggOpusReaderTests {
    /// Encodes a sox-made tone of an awkward length with opusenc and returns the file and sox's sample count.
    static func opusencFile(rate: Int, seconds: String, channels: Int) throws -> (bytes: [UInt8], soxSamples: Int) {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let wav = dir.appendingPathComponent("in.wav").path, opus = dir.appendingPathComponent("out.opus").path
        let synth = try run("sox", ["-n", "-r", "\(rate)", "-c", "\(channels)", "-b", "16", wav, "synth", seconds, "sine", "300-900", "vol", "0.5"])
        try #require(synth.status == 0, "sox: \(synth.output)")
        let encode = try run("opusenc", ["--quiet", "--bitrate", "32", "--framesize", "20", wav, opus])
        try #require(encode.status == 0, "opusenc: \(encode.output)")
        let count = try run("soxi", ["-s", wav])
        let samples = try #require(Int(count.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        return (Array(try Data(contentsOf: URL(fileURLWithPath: opus))), samples)
    }

    @Test("duration after pre-skip equals sox's count to the sample", arguments: [(48_000, "3.21337", 2), (48_000, "1.0001", 1), (16_000, "2.5", 1)])
    func durationMatchesSoxToTheSample(rate: Int, seconds: String, channels: Int) throws {
        let (bytes, soxSamples) = try Self.opusencFile(rate: rate, seconds: seconds, channels: channels)
        var reader = OggOpusReader()
        let packets = try reader.push(bytes)
        try reader.finish()
        let head = try #require(reader.head)
        #expect(head.channelCount == channels)
        #expect(head.inputSampleRate == rate)
        #expect(reader.reachedEndOfStream)
        // Granule positions count 48 kHz samples whatever the input rate (RFC 7845 §4).
        #expect(reader.playbackSampleCount == Int64(soxSamples * 48_000 / rate))
        #expect(packets.count == Int(reader.packetCount))
        #expect(packets.enumerated().allSatisfy { $0.element.sequence == UInt64($0.offset) })
    }

    @Test func packetTimesFollowTheGranulePositions() throws {
        let bytes = try Fixture.bytes("calls/mono-call.opus")
        var reader = OggOpusReader()
        let packets = try reader.push(bytes)
        let head = try #require(reader.head)
        // 20 ms packets: each starts 20 ms after the one before, the first at minus the pre-skip.
        #expect(packets.first?.timestampMicros == -Int64(head.preSkip) * 1_000_000 / 48_000)
        #expect(packets[100].timestampMicros == packets[0].timestampMicros.map { $0 + 100 * 20_000 })
    }

    @Test func everySplitOfTheStreamYieldsTheSamePackets() throws {
        let bytes = Array(try Fixture.bytes("calls/mono-call.opus").prefix(24_000))
        let whole = demux({ OggOpusReader() }, bytes)
        #expect(whole.packets.count > 100)
        for split in stride(from: 1, to: bytes.count, by: 7) {
            let twoChunks = demux({ OggOpusReader() }, bytes, chunks: [split])
            #expect(twoChunks.packets == whole.packets, "split at \(split)")
        }
        var random = SeededRandom(seed: 7)
        for _ in 0..<200 {
            let chunks = (0..<40).map { _ in Int.random(in: 1...2000, using: &random) }
            #expect(demux({ OggOpusReader() }, bytes, chunks: chunks).packets == whole.packets)
        }
        #expect(demux({ OggOpusReader() }, bytes, chunks: Array(repeating: 1, count: bytes.count)).packets == whole.packets)
    }

    @Test func truncationAnywhereInTheFirstKilobytesIsATypedError() throws {
        let bytes = try Fixture.bytes("calls/pricing-call.opus")
        let whole = demux({ OggOpusReader() }, bytes).packets
        let boundaries = Self.pageEnds(Array(bytes.prefix(4096)))
        for cut in 0..<4096 {
            let result = demux({ OggOpusReader() }, Array(bytes[..<cut]))
            // A cut between pages, once both headers are in, leaves a shorter stream that is whole:
            // that is how a live stream ends. Anywhere else the stream is cut short.
            if cut >= boundaries[1], boundaries.contains(cut) {
                #expect(result.error == nil, "cut at page end \(cut): \(String(describing: result.error))")
                #expect(Array(whole.prefix(result.packets.count)) == result.packets)
                continue
            }
            let error = try #require(result.error, "cut at \(cut) was accepted as a whole stream")
            guard case .truncated(.ogg, _) = error else {
                Issue.record("cut at \(cut): \(error)")
                continue
            }
        }
    }

    @Test func everyFlippedBitIsDetected() throws {
        let bytes = Array(try Fixture.bytes("calls/mono-call.opus").prefix(16_384))
        let pageEnd = Self.lastPageEnd(bytes)
        var random = SeededRandom(seed: 11)
        for _ in 0..<3000 {
            var corrupt = Array(bytes[..<pageEnd])
            let index = Int.random(in: 0..<corrupt.count, using: &random)
            corrupt[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
            let result = demux({ OggOpusReader() }, corrupt)
            #expect(result.error != nil, "a flip at byte \(index) went unnoticed")
        }
    }

    @Test func randomBytesAreRefusedWithoutACrash() {
        var random = SeededRandom(seed: 13)
        for trial in 0..<3000 {
            var bytes = (0..<Int.random(in: 0...600, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if trial % 2 == 0 { bytes.insert(contentsOf: Array("OggS".utf8) + [0], at: 0) }
            #expect(demux({ OggOpusReader() }, bytes).error != nil)
        }
    }

    @Test func aPacketLargerThanTheLimitIsRefusedBeforeItIsBuffered() throws {
        var pages = Self.headerPages(channels: 1)
        // A packet that never ends: pages of 255 × 255-byte segments, each continuing the last.
        for sequence in 2..<6 {
            pages += OggOpusWriter.page(lacing: Array(repeating: 255, count: 255), body: Array(repeating: 0xFC, count: 255 * 255),
                                        granule: -1, flags: sequence == 2 ? 0 : 1, serial: 9, sequence: UInt32(sequence))
        }
        let error = demux({ OggOpusReader() }, pages).error
        #expect(error == .tooLarge(.ogg, what: "packet", size: 8415, limit: 8192))
    }

    @Test func aMissingPageIsRefused() throws {
        var pages = Self.headerPages(channels: 1)
        pages += OggOpusWriter.page(lacing: [3], body: [0xFC, 1, 2], granule: 960, flags: 0, serial: 9, sequence: 3)
        guard case .malformed(.ogg, let reason)? = demux({ OggOpusReader() }, pages).error else {
            Issue.record("a jump in page sequence was accepted")
            return
        }
        #expect(reason.contains("from 2 to 3"))
    }

    @Test func otherLogicalStreamsBesideOpusAreSkipped() throws {
        var bytes = OggOpusWriter.page(lacing: [8], body: Array("fishead\0".utf8), granule: 0, flags: 0x02, serial: 77, sequence: 0)
        bytes += Self.headerPages(channels: 2)
        bytes += OggOpusWriter.page(lacing: [4], body: Array("data".utf8), granule: 0, flags: 0, serial: 77, sequence: 1)
        bytes += OggOpusWriter.page(lacing: [3], body: [0xFC, 1, 2], granule: 960, flags: 0x04, serial: 9, sequence: 2)
        let result = demux({ OggOpusReader() }, bytes)
        #expect(result.error == nil)
        #expect(result.packets.map(\.data) == [[0xFC, 1, 2]])
    }

    @Test func aStreamThatDoesNotStartWithOpusHeadIsRefused() throws {
        let bytes = OggOpusWriter.page(lacing: [3], body: [0xFC, 1, 2], granule: 960, flags: 0, serial: 9, sequence: 0)
        guard case .malformed(.ogg, _)? = demux({ OggOpusReader() }, bytes).error else {
            Issue.record("accepted audio before any OpusHead")
            return
        }
    }

    @Test func multichannelMappingFamiliesAreRefusedAsUnsupported() throws {
        var head = OpusHead(channelCount: 2, preSkip: 312).serialized
        head[18] = 1
        let bytes = OggOpusWriter.page(lacing: [UInt8(head.count)], body: head, granule: 0, flags: 0x02, serial: 9, sequence: 0)
        guard case .unsupported(.ogg, _)? = demux({ OggOpusReader() }, bytes).error else {
            Issue.record("accepted mapping family 1")
            return
        }
    }

    static func headerPages(channels: Int) -> [UInt8] {
        var writer = OggOpusWriter(head: OpusHead(channelCount: channels, preSkip: 312), serial: 9)
        return writer.headerPages()
    }

    /// Where the last whole page in `bytes` ends.
    static func lastPageEnd(_ bytes: [UInt8]) -> Int { pageEnds(bytes).last ?? 0 }

    /// Where each whole page in `bytes` ends.
    static func pageEnds(_ bytes: [UInt8]) -> [Int] {
        var offset = 0, ends: [Int] = []
        while offset + 27 <= bytes.count {
            let segments = Int(bytes[offset + 26])
            guard offset + 27 + segments <= bytes.count else { break }
            let size = 27 + segments + bytes[(offset + 27)..<(offset + 27 + segments)].reduce(0) { $0 + Int($1) }
            guard offset + size <= bytes.count else { break }
            offset += size
            ends.append(offset)
        }
        return ends
    }
}
