import EarpieceAudio
import Testing

private typealias W = WebMWriter
private typealias ID = WebMTestID

/// A minimal valid stream around `clusters`, with the given tracks (one stereo Opus track by default).
private func stream(
    docType: String = "webm", tracks: [[UInt8]] = [W.opusTrack()], info: [UInt8] = W.info(),
    clusters: [[UInt8]], unknownSizes: Bool = false
) -> [UInt8] {
    W.ebmlHeader(docType: docType) + W.segment([info, W.tracks(tracks)] + clusters, unknownSize: unknownSizes)
}

private func packet(_ index: Int) -> [UInt8] { W.fakeOpusPacket(index) }

@Suite struct WebMOpusDemuxerTests {
    @Test func readsTheSampleStreamsPacketsHeadAndTimestamps() {
        let sample = W.sampleStream()
        let outcome = WebMDemuxOutcome(sample.bytes)
        #expect(outcome.error == nil)
        #expect(outcome.head == OpusHead(channelCount: 2, preSkip: 312))
        #expect(outcome.packets == sample.packets)
    }

    @Test func theHeadIsAvailableAsSoonAsTheTracksHaveBeenRead() throws {
        var demuxer = WebMOpusDemuxer()
        let head = OpusHead(channelCount: 1, preSkip: 120, inputSampleRate: 16_000, outputGain: -256)
        let prefix = W.ebmlHeader() + W.segment([W.info(), W.tracks([W.opusTrack(head: head, channels: 1)])], unknownSize: true)
        #expect(try demuxer.push(prefix).isEmpty)
        #expect(demuxer.head == head)
    }

    @Test func blockTimestampsFollowTheClusterTimestampAndTheTimestampScale() {
        // 500 µs ticks: cluster 1000 + relative -10 → 990 ticks → 495 000 µs.
        let bytes = stream(info: W.info(timestampScale: 500_000), clusters: [
            W.cluster(timestamp: 1000, [W.simpleBlock(relative: -10, frames: [packet(0)]),
                                        W.simpleBlock(relative: 30, frames: [packet(1)])]),
            W.cluster(timestamp: 2000, [W.simpleBlock(relative: 0, frames: [packet(2)])]),
        ])
        let outcome = WebMDemuxOutcome(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.packets.map(\.timestampMicros) == [495_000, 515_000, 1_000_000])
        #expect(outcome.packets.map(\.sequence) == [0, 1, 2])
        #expect(outcome.packets.map(\.data) == [packet(0), packet(1), packet(2)])
    }

    @Test func blockTimestampsAreShiftedBackByTheCodecDelay() {
        // RFC 9559: CodecDelay is subtracted from every Block timestamp, so the first packet of an Opus stream
        // with 312 samples of pre-skip starts 6.5 ms before zero, as Ogg Opus puts it.
        let bytes = stream(tracks: [W.opusTrack(codecDelay: 6_500_000)], clusters: [
            W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [packet(0)]), W.simpleBlock(relative: 20, frames: [packet(1)])]),
        ])
        let outcome = WebMDemuxOutcome(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.packets.map(\.timestampMicros) == [-6500, 13_500])
    }

    @Test func anImpossibleCodecDelayIsMalformed() {
        let outcome = WebMDemuxOutcome(stream(tracks: [W.opusTrack(codecDelay: 1 << 62)], clusters: []))
        guard case .malformed(.webm, _)? = outcome.error else {
            Issue.record("expected .malformed, got \(String(describing: outcome.error))")
            return
        }
    }

    @Test func blocksInsideBlockGroupsAreRead() {
        let bytes = stream(clusters: [W.cluster(timestamp: 0, [
            W.blockGroup(relative: 0, frames: [packet(0)]),
            W.simpleBlock(relative: 20, frames: [packet(1)]),
            W.blockGroup(relative: 40, frames: [packet(2)], duration: nil),
        ])])
        let outcome = WebMDemuxOutcome(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.packets.map(\.data) == [packet(0), packet(1), packet(2)])
        #expect(outcome.packets.map(\.timestampMicros) == [0, 20_000, 40_000])
    }

    @Test func aMatroskaDocTypeIsAccepted() {
        let outcome = WebMDemuxOutcome(stream(docType: "matroska", clusters: [W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [packet(0)])])]))
        #expect(outcome.error == nil)
        #expect(outcome.packets.count == 1)
    }

    @Test func anotherDocTypeIsUnsupported() {
        let outcome = WebMDemuxOutcome(stream(docType: "mkv3d", clusters: []))
        guard case .unsupported(.webm, _)? = outcome.error else {
            Issue.record("expected .unsupported, got \(String(describing: outcome.error))")
            return
        }
    }

    @Test func aVideoTrackAndItsBlocksAreIgnored() {
        let bigVideoFrame = Array(repeating: UInt8(0x9D), count: 200_000)  // larger than maxElementBytes
        let bytes = stream(tracks: [W.videoTrack(number: 1), W.opusTrack(number: 2)], clusters: [
            W.cluster(timestamp: 0, [
                W.simpleBlock(track: 1, relative: 0, frames: [bigVideoFrame]),
                W.simpleBlock(track: 2, relative: 0, frames: [packet(0)]),
                W.blockGroup(track: 1, relative: 10, frames: [bigVideoFrame]),
                W.simpleBlock(track: 2, relative: 20, frames: [packet(1)]),
            ]),
        ])
        let outcome = WebMDemuxOutcome(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.packets.map(\.data) == [packet(0), packet(1)])
    }

    @Test func theFirstOpusTrackIsTheOneRead() {
        let bytes = stream(tracks: [W.opusTrack(number: 5, head: OpusHead(channelCount: 1, preSkip: 100)), W.opusTrack(number: 6)], clusters: [
            W.cluster(timestamp: 0, [
                W.simpleBlock(track: 6, relative: 0, frames: [packet(9)]),
                W.simpleBlock(track: 5, relative: 0, frames: [packet(0)]),
            ]),
        ])
        let outcome = WebMDemuxOutcome(bytes)
        #expect(outcome.head == OpusHead(channelCount: 1, preSkip: 100))
        #expect(outcome.packets.map(\.data) == [packet(0)])
    }

    @Test func seekHeadVoidCuesTagsAndUnknownElementsAreSkipped() {
        let unknown = W.element(0x5A5A, Array(repeating: 0xEE, count: 77))
        let bytes = W.ebmlHeader() + W.segment([
            W.element(ID.seekHead, Array(repeating: 0x11, count: 40)), W.void(100), unknown, W.info(),
            W.tracks([W.void(3), W.opusTrack(extra: [unknown, W.void(1)])]),
            W.element(ID.tags, Array(repeating: 0x22, count: 500)),
            W.cluster(timestamp: 0, [W.void(9), unknown, W.simpleBlock(relative: 0, frames: [packet(0)])]),
            W.element(ID.cues, Array(repeating: 0x33, count: 300)),
        ]) + W.void(12)
        let outcome = WebMDemuxOutcome(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.packets.map(\.data) == [packet(0)])
    }

    @Test func withoutCodecPrivateTheHeadComesFromChannelsAndCodecDelay() {
        let bytes = stream(tracks: [W.opusTrack(head: nil, channels: 1, codecDelay: 6_500_000)], clusters: [])
        let outcome = WebMDemuxOutcome(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.head == OpusHead(channelCount: 1, preSkip: 312))
    }

    @Test func aVideoOnlyStreamIsUnsupported() {
        let outcome = WebMDemuxOutcome(stream(tracks: [W.videoTrack(number: 1, codecID: "V_VP8")], clusters: []))
        guard case .unsupported(.webm, let reason)? = outcome.error else {
            Issue.record("expected .unsupported, got \(String(describing: outcome.error))")
            return
        }
        #expect(reason.contains("V_VP8"))
    }

    @Test func anAudioTrackOfAnotherCodecIsUnsupported() {
        let outcome = WebMDemuxOutcome(stream(tracks: [W.opusTrack(codecID: "A_VORBIS")], clusters: []))
        guard case .unsupported(.webm, _)? = outcome.error else {
            Issue.record("expected .unsupported, got \(String(describing: outcome.error))")
            return
        }
    }

    @Test func anEncryptedOpusTrackIsUnsupported() {
        let encodings = W.element(ID.contentEncodings, Array(repeating: 0, count: 4))
        let outcome = WebMDemuxOutcome(stream(tracks: [W.opusTrack(extra: [encodings])], clusters: []))
        guard case .unsupported(.webm, _)? = outcome.error else {
            Issue.record("expected .unsupported, got \(String(describing: outcome.error))")
            return
        }
    }

    @Test func aBlockBeforeTheTracksIsMalformed() {
        let bytes = W.ebmlHeader() + W.segment([
            W.info(), W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [packet(0)])]), W.tracks([W.opusTrack()]),
        ])
        guard case .malformed(.webm, _)? = WebMDemuxOutcome(bytes).error else {
            Issue.record("expected .malformed")
            return
        }
    }

    @Test func aClusterBeforeTheEBMLHeaderIsMalformed() {
        let bytes = W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [packet(0)])]) + W.ebmlHeader()
        var demuxer = WebMOpusDemuxer()
        #expect(throws: AudioFormatError.self) { try demuxer.push(bytes) }
        guard case .malformed(.webm, _)? = WebMDemuxOutcome(bytes).error else {
            Issue.record("expected .malformed")
            return
        }
    }

    @Test func junkAfterAKnownSizedSegmentIsMalformed() {
        let bytes = stream(clusters: [W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [packet(0)])])])
            + W.element(ID.cluster, [0x01, 0x02])
        let outcome = WebMDemuxOutcome(bytes)
        guard case .malformed(.webm, _)? = outcome.error else {
            Issue.record("expected .malformed, got \(String(describing: outcome.error))")
            return
        }
    }

    @Test func elementsBiggerThanTheElementLimitAreStreamedPastNotRefused() {
        // 1 MiB of Tags and Void with 4 KiB allowed per element: skipping needs no buffer, so it is fine.
        let limits = AudioInputLimits(maxElementBytes: 4096)
        let bytes = W.ebmlHeader() + W.segment([
            W.info(), W.tracks([W.opusTrack()]), W.element(ID.tags, Array(repeating: 0x7A, count: 1 << 20)),
            W.cluster(timestamp: 0, [W.void(100_000), W.simpleBlock(relative: 0, frames: [packet(0)])]),
        ])
        var demuxer = WebMOpusDemuxer(limits: limits)
        var packets: [OpusStreamPacket] = []
        do throws(AudioFormatError) {
            for start in stride(from: 0, to: bytes.count, by: 4096) {
                packets += try demuxer.push(Array(bytes[start..<min(start + 4096, bytes.count)]))
            }
            try demuxer.finish()
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(packets.map(\.data) == [packet(0)])
    }

    @Test func aSecondSegmentOrEBMLDocumentIsUnsupported() {
        let first = stream(clusters: [W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [packet(0)])])])
        let live = stream(clusters: [W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [packet(0)])], unknownSize: true)],
                          unknownSizes: true)
        for bytes in [first + W.segment([]), live + W.ebmlHeader()] {
            let outcome = WebMDemuxOutcome(bytes)
            guard case .unsupported(.webm, _)? = outcome.error else {
                Issue.record("expected .unsupported, got \(String(describing: outcome.error))")
                continue
            }
        }
    }

    @Test func unknownSizedClustersEndWhereTheNextClusterCuesOrTagsBegin() {
        let known = W.sampleStream(unknownSizes: false)
        let unknown = W.sampleStream(unknownSizes: true)
        let outcome = WebMDemuxOutcome(unknown.bytes)
        #expect(outcome.error == nil)
        #expect(outcome.packets == known.packets)
        // A Tags element between two unknown-sized Clusters, in an unknown-sized Segment.
        let tagsAfter = W.ebmlHeader() + W.segment([
            W.info(), W.tracks([W.opusTrack()]),
            W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [packet(0)])], unknownSize: true),
            W.element(ID.tags, [0xA3, 0x85, 0x81, 0x00, 0x00, 0x80, 0xFC]),
            W.cluster(timestamp: 100, [W.simpleBlock(relative: 0, frames: [packet(1)])], unknownSize: true),
        ], unknownSize: true)
        let second = WebMDemuxOutcome(tagsAfter)
        #expect(second.error == nil)
        #expect(second.packets.map(\.data) == [packet(0), packet(1)])
        #expect(second.packets.map(\.timestampMicros) == [0, 100_000])
    }

    @Test(arguments: 1...8)
    func anUnknownSizeOfAnyLengthIsRecognised(length: Int) {
        // Every value bit set: 0xFF, 0x7F FF, …, 0x01 FF FF FF FF FF FF FF.
        let unknown = [UInt8(0x80 >> (length - 1) | 0xFF >> length)] + Array(repeating: 0xFF, count: length - 1)
        let clusters = (0..<3).map { number in
            W.id(ID.cluster) + unknown + W.uint(ID.timestamp, UInt64(number * 100)) + W.simpleBlock(relative: 0, frames: [packet(number)])
        }
        let bytes = W.ebmlHeader() + W.id(ID.segment) + unknown + W.info() + W.tracks([W.opusTrack()]) + clusters.flatMap { $0 }
        let outcome = WebMDemuxOutcome(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.packets.map(\.data) == [packet(0), packet(1), packet(2)])
        #expect(outcome.packets.map(\.timestampMicros) == [0, 100_000, 200_000])
    }

    @Test func aLiveStreamMayStopAtAnyElementBoundaryOfAnUnknownSizedCluster() throws {
        var demuxer = WebMOpusDemuxer()
        let bytes = stream(clusters: [W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [packet(0)])], unknownSize: true)],
                           unknownSizes: true)
        #expect(try demuxer.push(bytes).count == 1)
        try demuxer.finish()
    }

    @Test func endingInsideAKnownSizedClusterOrABlockIsTruncated() {
        let bytes = stream(clusters: [W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [packet(0)]),
                                                               W.simpleBlock(relative: 20, frames: [packet(1)])])])
        // Cut inside the last block, then exactly after the first (still inside the Cluster and Segment).
        let lastBlockSize = W.simpleBlock(relative: 20, frames: [packet(1)]).count
        for cut in [bytes.count - 3, bytes.count - lastBlockSize] {
            let outcome = WebMDemuxOutcome(Array(bytes[..<cut]))
            #expect(outcome.packets.map(\.data) == [packet(0)])
            guard case .truncated(.webm, _)? = outcome.error else {
                Issue.record("expected .truncated at \(cut), got \(String(describing: outcome.error))")
                continue
            }
        }
    }

    @Test func endingBeforeAnyTrackHeaderIsTruncated() {
        for bytes in [[], W.ebmlHeader(), W.ebmlHeader() + W.segment([W.info()], unknownSize: true)] {
            guard case .truncated(.webm, _)? = WebMDemuxOutcome(bytes).error else {
                Issue.record("expected .truncated for \(bytes.count) bytes")
                continue
            }
        }
    }

    @Test func afterAnErrorEveryCallThrowsTheSameError() throws {
        var demuxer = WebMOpusDemuxer()
        let good = stream(clusters: [W.cluster(timestamp: 0, [W.simpleBlock(relative: 0, frames: [packet(0)])], unknownSize: true)],
                          unknownSizes: true)
        _ = try demuxer.push(good)
        var first: AudioFormatError?
        do { _ = try demuxer.push([0x00, 0x81]) } catch { first = error }
        #expect(first != nil)
        do { _ = try demuxer.push(W.simpleBlock(relative: 20, frames: [packet(1)])) } catch { #expect(error == first) }
        do { try demuxer.finish() } catch { #expect(error == first) }
        #expect(throws: AudioFormatError.self) { try demuxer.finish() }
    }

    @Test func aBlockBeforeItsClustersTimestampIsMalformed() {
        let cluster = W.element(ID.cluster, [W.simpleBlock(relative: 0, frames: [packet(0)]), W.uint(ID.timestamp, 0)])
        guard case .malformed(.webm, _)? = WebMDemuxOutcome(stream(clusters: [cluster])).error else {
            Issue.record("expected .malformed")
            return
        }
    }
}
