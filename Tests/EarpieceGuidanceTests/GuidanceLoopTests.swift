import EarpieceAudio
import Testing

@testable import EarpieceGuidance

/// The loop's clock, its degraded path and its framing.
@Suite("The guidance loop")
struct GuidanceLoopTests {
    static func silence(seconds: Double, channels: Int = 2) -> PCMBuffer {
        var pcm = PCMBuffer(channelCount: channels)
        for channel in 0..<channels { pcm.channels[channel] = [Int16](repeating: 0, count: Int(seconds * 16_000)) }
        return pcm
    }

    @Test func onlyMonoAndStereoCallsAreAnalysed() {
        #expect(throws: GuidanceError.unsupportedChannelCount(3)) { _ = try GuidanceLoop(channelCount: 3) }
        #expect(throws: GuidanceError.unsupportedChannelCount(0)) { _ = try GuidanceLoop(channelCount: 0) }
    }

    @Test func theClockCountsEverySampleIncludingAPartFrame() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        _ = loop.process(Self.silence(seconds: 0.0125))
        #expect(loop.audioTimeMs == 12)
        #expect(loop.dynamics.frameCount == 0)
        _ = loop.process(Self.silence(seconds: 0.0075))
        #expect(loop.audioTimeMs == 20 && loop.dynamics.frameCount == 1)
    }

    @Test func advancingWithoutAnalysisKeepsSnapshotsOnTheCallsClock() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        var events = loop.process(Self.silence(seconds: 1.5))
        events += loop.advanceWithoutAnalysis(sampleCount: 36_000)  // 2.25 s
        events += loop.process(Self.silence(seconds: 1.27))
        #expect(events.snapshots.map(\.audioTimeMs) == [1_000, 2_000, 3_000, 4_000, 5_000])
        #expect(loop.audioTimeMs == 5_020)
        #expect(loop.dynamics.frameCount == 251)
    }

    @Test func skippingPartOfAFrameSkipsThatWholeFrameAndKeepsTime() throws {
        var loop = try GuidanceLoop(channelCount: 1)
        _ = loop.process(Self.silence(seconds: 0.00625, channels: 1))  // 100 samples
        _ = loop.advanceWithoutAnalysis(sampleCount: 1_000)
        #expect(loop.audioTimeMs == 68)
        _ = loop.process(Self.silence(seconds: 0.01375, channels: 1))  // 220 samples
        #expect(loop.audioTimeMs == 82 && loop.dynamics.frameCount == 4)
    }

    @Test func audioSkippedWhileBehindIsNeitherSilenceNorAPause() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        var events = run(&loop, [(45, rep)])
        events += loop.advanceWithoutAnalysis(sampleCount: 20 * 16_000)
        // After the skip the rep is still in the same monologue and nobody has been silent.
        #expect(loop.dynamics.monologueFrames(channel: 0) == 45 * 50)
        #expect(loop.dynamics.silenceFrames == 0)
        events += run(&loop, [(15, rep), (10, nobody)])
        #expect(events.hints.map(\.kind) == [.repMonologue, .longSilence])
        #expect(events.hints.map(\.audioTimeMs) == [80_000, 90_000])
        let skipped = events.snapshots.filter { (46_000...65_000).contains($0.audioTimeMs) }
        #expect(skipped.count == 20 && skipped.allSatisfy { $0.speaking == [.rep: false, .customer: false] })
    }
}
