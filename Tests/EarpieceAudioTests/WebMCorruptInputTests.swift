import EarpieceAudio
import Testing

private typealias W = WebMWriter
private typealias ID = WebMTestID

/// Hostile or damaged input must end in a typed `AudioFormatError`, never a crash or an unbounded allocation.
@Suite struct WebMCorruptInputTests {
    /// The header and Tracks every test stream starts with, in an unknown-sized Segment.
    private static let prefix = W.ebmlHeader() + W.id(ID.segment) + W.unknownSize + W.info() + W.tracks([W.opusTrack()])

    @Test func truncationAtEveryByteIsReportedAtFinishWithThePacketsSoFar() throws {
        // A known-sized stream: every proper prefix is incomplete.
        let bytes = W.sampleStream().bytes
        let whole = WebMDemuxOutcome(bytes)
        for cut in 0..<min(bytes.count, 4096) {
            var demuxer = WebMOpusDemuxer()
            let packets = try demuxer.push(Array(bytes[..<cut]))  // a prefix of a valid stream is valid so far
            #expect(whole.packets.starts(with: packets))
            #expect(throws: AudioFormatError.self, "cut at \(cut)") { try demuxer.finish() }
            do { try demuxer.finish() } catch {
                guard case .truncated(.webm, _) = error else {
                    Issue.record("cut at \(cut): expected .truncated, got \(error)")
                    continue
                }
            }
        }
    }

    @Test func aLiveStreamCutAnywhereEitherEndsCleanlyOrIsTruncated() throws {
        let bytes = W.sampleStream(unknownSizes: true).bytes
        let whole = WebMDemuxOutcome(bytes)
        var cleanEnds = 0
        for cut in 0..<min(bytes.count, 4096) {
            var demuxer = WebMOpusDemuxer()
            let packets = try demuxer.push(Array(bytes[..<cut]))
            #expect(whole.packets.starts(with: packets))
            do {
                try demuxer.finish()
                cleanEnds += 1
            } catch {
                guard case .truncated(.webm, _) = error else {
                    Issue.record("cut at \(cut): expected .truncated, got \(error)")
                    continue
                }
            }
        }
        #expect(cleanEnds > 10)  // every element boundary after the Tracks
    }

    @Test func flippedBitsGiveATypedErrorOrPacketsRegardlessOfSplitting() {
        let original = W.sampleStream(clusterCount: 2).bytes
        var random = SeededRandom(seed: 0xF11B_0001)
        for trial in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
            }
            let whole = WebMDemuxOutcome(bytes)
            // Splitting may only move packets into earlier pushes, never change the packets or the error.
            if trial % 10 == 0 {
                let pieces = WebMDemuxOutcome(bytes, splitAt: Array(stride(from: 97, to: bytes.count, by: 97)))
                #expect(pieces.error == whole.error, "trial \(trial)")
                #expect(pieces.packets.starts(with: whole.packets), "trial \(trial)")
            }
        }
    }

    @Test func randomBytesGiveATypedErrorOrNothing() {
        var random = SeededRandom(seed: 0xB17E_0002)
        for trial in 0..<3000 {
            let count = Int.random(in: 0...2048, using: &random)
            var bytes = (0..<(count + 7) / 8).flatMap { _ in withUnsafeBytes(of: random.next(), Array.init) }
            bytes.removeLast(bytes.count - count)
            // Half the trials get past the magic number and the Tracks, to reach the deeper parsers.
            if trial % 2 == 1 { bytes = Self.prefix + bytes }
            let outcome = WebMDemuxOutcome(bytes)
            if trial % 2 == 0 { #expect(outcome.error != nil) }
        }
    }

    @Test(arguments: [ID.simpleBlock, ID.timestamp])
    func anAbsurdSizeOnALeafElementIsTooLarge(id: UInt32) {
        let size = UInt64(1) << 55
        let bytes = Self.prefix + W.id(ID.cluster) + W.unknownSize + W.id(id) + W.varInt(size, length: 8) + [0x81, 0, 0, 0x80] + W.fakeOpusPacket(0)
        #expect(WebMDemuxOutcome(bytes).error == .tooLarge(.webm, what: id == ID.simpleBlock ? "SimpleBlock element" : "Cluster Timestamp element",
                                                            size: Int(size), limit: AudioInputLimits.default.maxElementBytes))
    }

    @Test func anAbsurdCodecPrivateIsTooLarge() {
        let bytes = W.ebmlHeader() + W.id(ID.segment) + W.unknownSize + W.id(ID.tracks) + W.varInt(1 << 56 - 2, length: 8)
            + W.id(ID.trackEntry) + W.varInt(1 << 55, length: 8) + W.id(ID.codecPrivate) + W.varInt(1 << 54, length: 8)
        guard case .tooLarge(.webm, what: "CodecPrivate element", size: 1 << 54, limit: _)? = WebMDemuxOutcome(bytes).error else {
            Issue.record("expected .tooLarge")
            return
        }
    }

    @Test func aHugeBlockOfTheOpusTrackIsTooLargeButOneOfAnotherTrackIsSkipped() {
        let limits = AudioInputLimits(maxElementBytes: 4096)
        let video = W.ebmlHeader() + W.segment([W.info(), W.tracks([W.opusTrack(), W.videoTrack(number: 2)]), W.cluster(timestamp: 0, [
            W.simpleBlock(track: 2, relative: 0, frames: [Array(repeating: 7, count: 10_000)]),
            W.simpleBlock(relative: 0, frames: [W.fakeOpusPacket(0)]),
        ])])
        let skipped = WebMDemuxOutcome(video, limits: limits)
        #expect(skipped.error == nil)
        #expect(skipped.packets.count == 1)
        let ours = Self.prefix + W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [Array(repeating: 0xFC, count: 5000)])])
        #expect(WebMDemuxOutcome(ours, limits: limits).error == .tooLarge(.webm, what: "SimpleBlock element", size: 5004, limit: 4096))
    }

    @Test func aZeroByteWhereAVarIntStartsIsMalformed() {
        expectMalformed(W.ebmlHeader() + [0x18, 0x53, 0x80, 0x67, 0x00, 0x81])  // Segment size starting 0x00
        expectMalformed(W.ebmlHeader() + [0x00, 0x81])  // ID starting 0x00
    }

    @Test func anIDLongerThanFourBytesIsMalformed() {
        expectMalformed(W.ebmlHeader() + [0x08, 0x53, 0x80, 0x67, 0x12, 0x81])
        expectMalformed([0x0A, 0x45, 0xDF, 0xA3, 0x12, 0x81])
    }

    @Test func anElementRunningPastItsParentIsMalformed() {
        // A TrackEntry that claims more bytes than its Tracks holds.
        let entry = W.opusTrack()
        let tracks = W.id(ID.tracks) + W.varInt(UInt64(entry.count - 5)) + entry.prefix(entry.count - 5)
        expectMalformed(W.ebmlHeader() + W.id(ID.segment) + W.unknownSize + tracks)
    }

    @Test func anUnknownSizeOnAnythingButASegmentOrClusterIsMalformed() {
        expectMalformed(W.ebmlHeader() + W.id(ID.segment) + W.unknownSize + W.id(ID.tracks) + W.unknownSize + W.opusTrack())
        expectMalformed(Self.prefix + W.id(ID.cues) + [0xFF, 0x00])
        expectMalformed(Self.prefix + W.id(ID.cluster) + W.unknownSize + W.id(ID.simpleBlock) + [0xFF, 0x81, 0, 0, 0x80, 0xFC])
    }

    @Test func anOversizedIntegerIsMalformed() {
        expectMalformed(Self.prefix + W.cluster(timestamp: 0, []).prefix(4) + [0x8B, 0xE7, 0x89] + Array(repeating: 1, count: 9))
    }

    private func expectMalformed(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let outcome = WebMDemuxOutcome(bytes)
        guard case .malformed(.webm, _)? = outcome.error else {
            Issue.record("expected .malformed, got \(String(describing: outcome.error))", sourceLocation: sourceLocation)
            return
        }
    }
}
