import EarpieceAudio
import Testing

private typealias W = WebMWriter

/// A stream whose one Cluster (timestamp 1000 ms) holds `blocks`.
private func stream(_ blocks: [[UInt8]]) -> [UInt8] {
    W.ebmlHeader() + W.segment([W.info(), W.tracks([W.opusTrack()]), W.cluster(timestamp: 1000, blocks)])
}

@Suite struct WebMLacingTests {
    /// Frames of assorted sizes, including some past 255 bytes (several Xiph size bytes, 2-byte EBML sizes).
    private let frames = [300, 1, 255, 510, 40, 1000, 2].enumerated().map { W.fakeTenMillisecondPacket($0.offset, size: $0.element) }

    @Test(arguments: [WebMTestLacing.xiph, .ebml])
    func variableLacingYieldsEachFrameWithItsOwnTimestamp(lacing: WebMTestLacing) {
        let outcome = WebMDemuxOutcome(stream([W.simpleBlock(relative: 5, frames: frames, lacing: lacing)]))
        #expect(outcome.error == nil)
        #expect(outcome.packets.map(\.data) == frames)
        // Each laced frame starts 10 ms (the TOC's frame duration) after the one before it.
        #expect(outcome.packets.map(\.timestampMicros) == (0..<frames.count).map { 1_005_000 + Int64($0) * 10_000 })
        #expect(outcome.packets.map(\.sequence) == Array(0..<UInt64(frames.count)))
    }

    @Test func fixedSizeLacingSplitsTheBlockEvenly() {
        let equal = (0..<5).map { W.fakeOpusPacket($0, size: 123) }
        let outcome = WebMDemuxOutcome(stream([W.simpleBlock(relative: 0, frames: equal, lacing: .fixed)]))
        #expect(outcome.error == nil)
        #expect(outcome.packets.map(\.data) == equal)
        #expect(outcome.packets.map(\.timestampMicros) == [1_000_000, 1_020_000, 1_040_000, 1_060_000, 1_080_000])
    }

    @Test(arguments: WebMTestLacing.allCases)
    func lacingInsideABlockGroupWorksTheSame(lacing: WebMTestLacing) {
        let laced = lacing == .none ? [frames[0]] : (lacing == .fixed ? [frames[4], frames[4]] : frames)
        let outcome = WebMDemuxOutcome(stream([W.blockGroup(relative: 0, frames: laced, lacing: lacing)]))
        #expect(outcome.error == nil)
        #expect(outcome.packets.map(\.data) == laced)
    }

    @Test func oneLacedFrameIsAllowed() {
        for lacing in [WebMTestLacing.xiph, .fixed, .ebml] {
            let outcome = WebMDemuxOutcome(stream([W.simpleBlock(relative: 0, frames: [frames[3]], lacing: lacing)]))
            #expect(outcome.error == nil)
            #expect(outcome.packets.map(\.data) == [frames[3]])
        }
    }

    @Test func fixedSizeLacingThatDoesNotDivideEvenlyIsMalformed() {
        let body = W.blockBody(track: 1, relative: 0, frames: [[0xFC, 1, 2], [0xFC, 1]], lacing: .fixed, flags: 0x80)
        expectMalformed(stream([W.element(WebMTestID.simpleBlock, body)]))
    }

    @Test(arguments: [WebMTestLacing.xiph, .ebml])
    func anEmptyLacedFrameIsMalformed(lacing: WebMTestLacing) {
        expectMalformed(stream([W.simpleBlock(relative: 0, frames: [frames[0], [], frames[1]], lacing: lacing)]))
    }

    @Test func aBlockWithNoFrameBytesIsMalformed() {
        expectMalformed(stream([W.simpleBlock(relative: 0, frames: [[]])]))
    }

    @Test(arguments: [WebMTestLacing.xiph, .ebml])
    func lacedSizesThatOverrunTheBlockAreMalformed(lacing: WebMTestLacing) {
        var body = W.blockBody(track: 1, relative: 0, frames: [frames[5], frames[0]], lacing: lacing, flags: 0x80)
        body.removeLast(frames[0].count + 100)  // the first frame's declared 1000 bytes no longer fit
        expectMalformed(stream([W.element(WebMTestID.simpleBlock, body)]))
    }

    @Test func moreThanSixtyFourLacedFramesAreUnsupported() {
        let many = (0..<65).map { W.fakeOpusPacket($0, size: 3) }
        let outcome = WebMDemuxOutcome(stream([W.simpleBlock(relative: 0, frames: many, lacing: .xiph)]))
        guard case .unsupported(.webm, _)? = outcome.error else {
            Issue.record("expected .unsupported, got \(String(describing: outcome.error))")
            return
        }
        let sixtyFour = WebMDemuxOutcome(stream([W.simpleBlock(relative: 0, frames: Array(many.prefix(64)), lacing: .xiph)]))
        #expect(sixtyFour.packets.count == 64)
    }

    @Test(arguments: WebMTestLacing.allCases)
    func aFrameOverTheLimitIsTooLarge(lacing: WebMTestLacing) {
        let limits = AudioInputLimits(maxPacketBytes: 500)
        let big = W.fakeOpusPacket(0, size: 501)
        let laced = lacing == .none ? [big] : [big, big]
        let outcome = WebMDemuxOutcome(stream([W.simpleBlock(relative: 0, frames: laced, lacing: lacing)]), limits: limits)
        #expect(outcome.error == .tooLarge(.webm, what: "frame", size: 501, limit: 500))
    }

    @Test func aLacedFrameThatIsNotAnOpusPacketStopsTheStream() {
        // The next frame's timestamp needs this one's duration, which a TOC-less code 3 packet does not have.
        let outcome = WebMDemuxOutcome(stream([W.simpleBlock(relative: 0, frames: [[0xFF], frames[0]], lacing: .xiph)]))
        guard case .invalidOpusPacket? = outcome.error else {
            Issue.record("expected .invalidOpusPacket, got \(String(describing: outcome.error))")
            return
        }
    }

    private func expectMalformed(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let outcome = WebMDemuxOutcome(bytes)
        guard case .malformed(.webm, _)? = outcome.error else {
            Issue.record("expected .malformed, got \(String(describing: outcome.error))", sourceLocation: sourceLocation)
            return
        }
    }
}
