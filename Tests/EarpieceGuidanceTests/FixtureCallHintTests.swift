import EarpieceAudio
import Testing

@testable import EarpieceGuidance

/// The guidance loop on the fixture calls, whose timelines say when hints are due.
@Suite("Hints on the fixture calls")
struct FixtureCallHintTests {
    @Test func theMonologueCallHintsTheRepsMonologueOnceSixtySecondsIn() throws {
        let call = try FixtureCall.named("monologue-call")
        let events = try analyse(call.pcm, chunkSizes: unevenChunkSizes)
        let monologue = try call.timeline.window("monologue")
        let hints = events.hints(.repMonologue)
        try #require(hints.count == 1, "rep_monologue hints: \(hints)")
        #expect(hints[0].speaker == .rep)
        #expect(abs(Double(hints[0].audioTimeMs) / 1000 - (monologue.start_s + 60)) <= 1.5, "at \(hints[0].audioTimeMs) ms")
    }

    @Test func theMonologueCallHintsTheLongSilenceOnceTenSecondsIn() throws {
        let call = try FixtureCall.named("monologue-call")
        let events = try analyse(call.pcm, chunkSizes: unevenChunkSizes)
        let silence = try call.timeline.window("silence")
        let hints = events.hints(.longSilence)
        try #require(hints.count == 1, "long_silence hints: \(hints)")
        // A silence belongs to nobody; the trigger says the rep, whose monologue ran into it, spoke last.
        #expect(hints[0].speaker == .unknown)
        #expect(abs(Double(hints[0].audioTimeMs) / 1000 - (silence.start_s + 10)) <= 1, "at \(hints[0].audioTimeMs) ms")
        #expect(hints[0].title == "10 s of silence")
        #expect(hints[0].trigger == "no speech for 10.0 s since the rep spoke")
        #expect(hints[0].body == "Ask an open question to re-engage")
    }

    @Test func theMonologueCallHasNoOverlapOrTalkRatioHintAndUniqueIDs() throws {
        let events = try analyse(try FixtureCall.named("monologue-call").pcm)
        #expect(events.hints(.overlap).isEmpty)
        // The call lasts under two minutes: too early to judge a talk ratio.
        #expect(events.hints(.talkRatioHigh).isEmpty)
        #expect(events.hints.map(\.id) == ["h-1", "h-2"])
    }

    @Test func aPricingCallWithBriskTurnsEarnsNoSilenceOrMonologueHint() throws {
        let call = try FixtureCall.named("pricing-call")
        #expect(call.timeline.windows.isEmpty)
        let events = try analyse(call.pcm, chunkSizes: unevenChunkSizes)
        #expect(events.hints(.longSilence).isEmpty)
        #expect(events.hints(.repMonologue).isEmpty)
        #expect(events.hints(.overlap).isEmpty)
        let longestSilence = events.snapshots.map(\.silenceMs).max() ?? 0
        #expect(longestSilence < 2_000)
    }

    @Test func aMonoCallOnlyEverHintsSilenceAndMonologueAboutAnUnknownSpeaker() throws {
        let call = try FixtureCall.named("mono-call")
        let events = try analyse(call.pcm, chunkSizes: unevenChunkSizes)
        for hint in events.hints {
            #expect([.longSilence, .repMonologue].contains(hint.kind))
            #expect(hint.speaker == .unknown)
        }
        #expect(events.snapshots.allSatisfy { Array($0.talkShare.keys) == [.unknown] && Array($0.speaking.keys) == [.unknown] })
    }

    @Test func aMonoCallPlayedTwiceAndThenSilentEarnsAnUnknownMonologueAndSilence() throws {
        let call = try FixtureCall.named("mono-call")
        // Twice over the gap between the copies is 1.1 s, under a monologue's 1.5 s pause: one long run of talk.
        var pcm = call.pcm
        pcm.channels[0] += call.pcm.channels[0] + [Int16](repeating: 0, count: 12 * 16_000)
        let events = try analyse(pcm, chunkSizes: unevenChunkSizes)
        let firstSpeech = try #require(call.timeline.utterances.map(\.start_s).min())
        let lastSpeech = try #require(call.timeline.utterances.map(\.end_s).max()) + Double(call.pcm.frameCount) / 16_000

        let monologues = events.hints(.repMonologue)
        try #require(monologues.count == 1, "\(monologues)")
        #expect(monologues[0].speaker == .unknown)
        #expect(monologues[0].confidence < 0.6)
        #expect(abs(Double(monologues[0].audioTimeMs) / 1000 - (firstSpeech + 60)) <= 1.5, "at \(monologues[0].audioTimeMs) ms")

        let silences = events.hints(.longSilence)
        try #require(silences.count == 1, "\(silences)")
        #expect(silences[0].speaker == .unknown)
        #expect(abs(Double(silences[0].audioTimeMs) / 1000 - (lastSpeech + 10)) <= 1, "at \(silences[0].audioTimeMs) ms")
        #expect(events.hints.count == 2)
    }

    @Test func snapshotsFollowTheMonologueCallSecondBySecond() throws {
        let call = try FixtureCall.named("monologue-call")
        let snapshots = try analyse(call.pcm).snapshots
        #expect(snapshots.map(\.audioTimeMs) == Array(1...(call.pcm.frameCount / 16_000)).map { $0 * 1000 })
        let during = try #require(snapshots.first { $0.audioTimeMs == 80_000 })
        #expect(during.monologue?.speaker == .rep && (during.monologue?.ms ?? 0) > 65_000)
        #expect(during.speaking == [.rep: true, .customer: false])
        let repShare = try #require(during.talkShare[.rep]), customerShare = try #require(during.talkShare[.customer])
        #expect(repShare > 0.8 && abs(repShare + customerShare - 1) < 1e-9)
        let quiet = try #require(snapshots.first { $0.audioTimeMs == 97_000 })
        #expect(quiet.silenceMs > 11_000 && quiet.monologue == nil && quiet.speaking == [.rep: false, .customer: false])
    }

    @Test("the same audio gives the same events however it is chunked", arguments: ["monologue-call", "mono-call"])
    func theSameAudioGivesTheSameEventsHoweverItIsChunked(name: String) throws {
        let pcm = try FixtureCall.named(name).pcm
        let whole = try analyse(pcm)
        #expect(!whole.hints.isEmpty || name == "mono-call")
        #expect(try analyse(pcm, chunkSizes: unevenChunkSizes) == whole)
        #expect(try analyse(pcm, chunkSizes: [320]) == whole)
    }
}
