import EarpieceAudio
import Testing

/// Pushing a stream in pieces of any size must give exactly what one push of all of it gives.
@Suite struct WebMIncrementalTests {
    @Test(arguments: [false, true])
    func splittingTheStreamInTwoAtEveryOffsetYieldsTheSamePackets(unknownSizes: Bool) {
        // Two Clusters are enough to cross every kind of element boundary, and keep the ~3 500 runs cheap.
        let bytes = WebMWriter.sampleStream(unknownSizes: unknownSizes, clusterCount: 2).bytes
        let whole = WebMDemuxOutcome(bytes)
        #expect(whole.error == nil)
        #expect(whole.packets.count == 36)
        for offset in 0...bytes.count where WebMDemuxOutcome(bytes, splitAt: [offset]) != whole {
            Issue.record("unknownSizes \(unknownSizes): splitting at \(offset) changes the outcome")
        }
    }

    @Test(arguments: [false, true])
    func randomSplitsYieldTheSamePackets(unknownSizes: Bool) {
        let bytes = WebMWriter.sampleStream(unknownSizes: unknownSizes).bytes
        let whole = WebMDemuxOutcome(bytes)
        var random = SeededRandom(seed: 0x5EED_0001)
        for trial in 0..<300 {
            let cuts = (0..<Int.random(in: 1...40, using: &random)).map { _ in Int.random(in: 0...bytes.count, using: &random) }
            if WebMDemuxOutcome(bytes, splitAt: cuts.sorted()) != whole {
                Issue.record("unknownSizes \(unknownSizes): trial \(trial) splitting at \(cuts.sorted()) changes the outcome")
            }
        }
    }

    @Test(arguments: [false, true])
    func feedingOneByteAtATimeYieldsTheSamePackets(unknownSizes: Bool) {
        let bytes = WebMWriter.sampleStream(unknownSizes: unknownSizes).bytes
        #expect(WebMDemuxOutcome(byteAtATime: bytes) == WebMDemuxOutcome(bytes))
    }

    @Test func emptyPushesChangeNothing() throws {
        let sample = WebMWriter.sampleStream()
        var demuxer = WebMOpusDemuxer()
        var packets: [OpusStreamPacket] = []
        for index in stride(from: 0, to: sample.bytes.count, by: 100) {
            packets += try demuxer.push([])
            packets += try demuxer.push(Array(sample.bytes[index..<min(index + 100, sample.bytes.count)]))
        }
        try demuxer.finish()
        #expect(packets == sample.packets)
    }

    @Test func theRealRecordingSplitAnywhereInItsFirstFourKilobytesYieldsTheSamePackets() throws {
        // The first 4 KiB hold the EBML header, SeekHead, Void, Info, Tracks, Tags, the first Cluster's opening
        // and some 50 blocks; later splits only repeat those cases, and the random pieces below cover the rest.
        // Each run demuxes a little more than that, not the whole file, to keep the 4 097 runs cheap; whole
        // and split runs then end in the same truncation error, which the comparison includes.
        let bytes = Array(try #require(WebMFixture.pricingCall(), "missing \(WebMFixture.url.path)").prefix(4096 + 512))
        let whole = WebMDemuxOutcome(bytes)
        #expect(whole.packets.count > 50)
        for offset in 0...min(4096, bytes.count) where WebMDemuxOutcome(bytes, splitAt: [offset]) != whole {
            Issue.record("splitting at \(offset) changes the outcome")
        }
    }

    @Test func theRealRecordingInRandomPiecesOrByteAtATimeYieldsTheSamePackets() throws {
        let bytes = try #require(WebMFixture.pricingCall(), "missing \(WebMFixture.url.path)")
        let whole = WebMDemuxOutcome(bytes)
        var random = SeededRandom(seed: 0x5EED_0002)
        for trial in 0..<20 {
            // Pieces around the size of a WebSocket message from MediaRecorder (timeslice of a few hundred ms).
            var cuts: [Int] = []
            var position = 0
            while true {
                position += Int.random(in: 1...6000, using: &random)
                guard position < bytes.count else { break }
                cuts.append(position)
            }
            #expect(WebMDemuxOutcome(bytes, splitAt: cuts) == whole, "trial \(trial)")
        }
        #expect(WebMDemuxOutcome(byteAtATime: bytes) == whole)
    }
}
