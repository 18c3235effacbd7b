import Testing

@testable import EarpieceGuidance

/// The counters and the talk window behind every dynamics hint.
@Suite("Conversation dynamics")
struct ConversationDynamicsTests {
    static func advance(_ dynamics: inout ConversationDynamics, _ activity: SpeechActivity, seconds: Double) {
        for _ in 0..<Int((seconds * 50).rounded()) { dynamics.advance(activity) }
    }

    @Test func talkSharesCoverOnlyTheTrailingThreeMinutes() {
        var dynamics = ConversationDynamics(channelCount: 2)
        Self.advance(&dynamics, rep, seconds: 120)
        Self.advance(&dynamics, customer, seconds: 60)
        #expect(abs(dynamics.talkShare(channel: 0) - 2.0 / 3) < 1e-9)
        Self.advance(&dynamics, customer, seconds: 60)
        // The first minute of the rep has left the window: 60 s of rep against 120 s of customer.
        #expect(abs(dynamics.talkShare(channel: 1) - 2.0 / 3) < 1e-9)
        #expect(dynamics.windowFrames == 9_000 && dynamics.totalTalkFrames == 9_000)
        Self.advance(&dynamics, nobody, seconds: 180)
        #expect(dynamics.totalTalkFrames == 0 && dynamics.talkShare(channel: 0) == 0)
    }

    @Test func overlappingTalkCountsForBothSides() {
        var dynamics = ConversationDynamics(channelCount: 2)
        Self.advance(&dynamics, both, seconds: 2)
        Self.advance(&dynamics, rep, seconds: 2)
        #expect(dynamics.talkFrames(channel: 0) == 200 && dynamics.talkFrames(channel: 1) == 100)
        #expect(abs(dynamics.talkShare(channel: 0) - 2.0 / 3) < 1e-9)
        #expect(dynamics.overlapFrames == 0)
    }

    @Test func silenceAndOverlapCountFramesInARow() {
        var dynamics = ConversationDynamics(channelCount: 2)
        Self.advance(&dynamics, rep, seconds: 1)
        Self.advance(&dynamics, both, seconds: 0.5)
        #expect(dynamics.overlapFrames == 25)
        Self.advance(&dynamics, nobody, seconds: 3)
        #expect(dynamics.silenceFrames == 150 && dynamics.overlapFrames == 0)
        #expect(dynamics.lastSpeakerChannel == 1)
    }

    @Test func aMonologueIncludesItsShortPausesAndEndsAfterALongOne() {
        var dynamics = ConversationDynamics(channelCount: 2)
        Self.advance(&dynamics, rep, seconds: 10)
        Self.advance(&dynamics, nobody, seconds: 1.5)
        #expect(dynamics.monologueFrames(channel: 0) == 500)
        Self.advance(&dynamics, rep, seconds: 1)
        #expect(dynamics.monologueFrames(channel: 0) == 625)
        #expect(dynamics.currentMonologue?.channel == 0)
        Self.advance(&dynamics, nobody, seconds: 1.52)
        #expect(dynamics.monologueFrames(channel: 0) == 0 && dynamics.currentMonologue == nil)
    }

    @Test func theSnapshotEncodesWithTheProtocolsKeys() throws {
        var dynamics = ConversationDynamics(channelCount: 2)
        Self.advance(&dynamics, rep, seconds: 3)
        Self.advance(&dynamics, customer, seconds: 1)
        Self.advance(&dynamics, nobody, seconds: 2)
        let json = try String(decoding: encoded(dynamics.snapshot()), as: UTF8.self)
        #expect(json == """
            {"audio_time_ms":6000,"monologue":null,"overlap_ms":0,"silence_ms":2000,\
            "speaking":{"customer":false,"rep":false},"talk_share":{"customer":0.25,"rep":0.75}}
            """)
        #expect(try decoded(DynamicsSnapshot.self, json) == dynamics.snapshot())
    }

    @Test func anOpenMonologueEncodesAsSpeakerAndLength() throws {
        var dynamics = ConversationDynamics(channelCount: 1)
        Self.advance(&dynamics, voice, seconds: 2.5)
        let json = try String(decoding: encoded(dynamics.snapshot()), as: UTF8.self)
        #expect(json == """
            {"audio_time_ms":2500,"monologue":{"ms":2500,"speaker":"unknown"},"overlap_ms":0,"silence_ms":0,\
            "speaking":{"unknown":true},"talk_share":{"unknown":1}}
            """)
    }
}
