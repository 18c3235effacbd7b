import EarpieceAudio
import Testing

@testable import EarpieceGuidance

/// WebRTC's VAD, smoothed, against the fixture timelines.
@Suite("Voice activity detection")
struct VoiceActivityDetectorTests {
    /// Frame-by-frame decisions of a fresh detector on one channel.
    static func decisions(_ samples: [Int16]) throws -> [Bool] {
        var detector = try VoiceActivityDetector()
        let length = VoiceActivityDetector.frameLength
        return (0..<(samples.count / length)).map { detector.isSpeech(samples[($0 * length)..<(($0 + 1) * length)]) }
    }

    /// Whether each frame lies in speech per the timeline: `nil` within `tolerance` of an utterance boundary.
    static func truth(_ call: FixtureCall, channel: Int, frames: Int, tolerance: Double = 0.1) -> [Bool?] {
        let utterances = call.timeline.utterances.filter { call.speaks(on: channel, $0) }
        return (0..<frames).map { frame in
            let start = Double(frame) * 0.02, end = start + 0.02
            let nearBoundary = utterances.contains { u in
                [u.start_s, u.end_s].contains { boundary in boundary > start - tolerance && boundary < end + tolerance }
            }
            return nearBoundary ? nil : utterances.contains { $0.start_s < end && start < $0.end_s }
        }
    }

    @Test("speech frames agree with the timeline", arguments: ["pricing-call", "monologue-call", "mono-call"])
    func speechFramesAgreeWithTheTimeline(name: String) throws {
        let call = try FixtureCall.named(name)
        for channel in call.pcm.channels.indices {
            let detected = try Self.decisions(call.pcm.channels[channel])
            let expected = Self.truth(call, channel: channel, frames: detected.count)
            let judged = zip(detected, expected).compactMap { pair in pair.1.map { pair.0 == $0 } }
            let agreement = Double(judged.filter { $0 }.count) / Double(judged.count)
            #expect(agreement >= 0.9, "\(name) channel \(channel): \(agreement)")
            let missed = zip(detected, expected).filter { $0.1 == true && !$0.0 }.count
            let speech = expected.filter { $0 == true }.count
            #expect(Double(missed) / Double(speech) < 0.05, "\(name) channel \(channel) missed \(missed) of \(speech) speech frames")
        }
    }

    @Test func theSilenceWindowIsAlmostAllNonSpeechOnBothChannels() throws {
        let call = try FixtureCall.named("monologue-call")
        let silence = try call.timeline.window("silence")
        // The same 100 ms allowance at the window's edges as for utterance boundaries.
        let frames = Int(((silence.start_s + 0.1) * 50).rounded(.up))..<Int(((silence.end_s - 0.1) * 50).rounded(.down))
        for channel in 0..<2 {
            let detected = try Self.decisions(call.pcm.channels[channel])[frames]
            let quiet = Double(detected.filter { !$0 }.count) / Double(detected.count)
            #expect(quiet >= 0.98, "channel \(channel): \(quiet) of the silence window is non-speech")
        }
    }

    @Test func digitalSilenceIsNeverSpeech() throws {
        #expect(try Self.decisions([Int16](repeating: 0, count: 16_000)).allSatisfy { !$0 })
    }

    @Test func theModeIsClampedToWhatWebRTCAccepts() throws {
        #expect(VoiceActivityDetector.Configuration(mode: 9).mode == 3)
        #expect(VoiceActivityDetector.Configuration(mode: -1, onsetFrames: 0).onsetFrames == 1)
        _ = try VoiceActivityDetector(configuration: .init(mode: 9))
    }
}
