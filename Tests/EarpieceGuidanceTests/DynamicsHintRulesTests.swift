import Testing

@testable import EarpieceGuidance

/// The hint rules on hand-made speech decisions, frame by frame, with no audio.
@Suite("Dynamics hint rules")
struct DynamicsHintRulesTests {
    /// `minutes` of the rep talking `repSeconds` then the customer `customerSeconds`, over and over.
    static func turns(rep repSeconds: Double, customer customerSeconds: Double, minutes: Double) -> [(seconds: Double, activity: SpeechActivity)] {
        let cycles = Int(minutes * 60 / (repSeconds + customerSeconds))
        return Array(repeating: [(repSeconds, rep), (customerSeconds, customer)], count: cycles).flatMap { $0 }
    }

    @Test func talkRatioHighFiresAtTwoMinutesAndThenAtMostOncePerThreeMinutes() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        let events = run(&loop, Self.turns(rep: 4, customer: 1, minutes: 7))
        let hints = events.hints(.talkRatioHigh)
        #expect(hints.map(\.audioTimeMs) == [120_000, 300_000])
        #expect(hints.allSatisfy { $0.speaker == .rep })
        #expect(hints.first?.title == "You've done 80% of the talking")
        #expect(hints.first?.trigger == "rep 80% of talk time over the last 2 min (limit 70%)")
        #expect(hints.last?.trigger == "rep 80% of talk time over the last 3 min (limit 70%)")
        #expect(events.hints.count == hints.count)
    }

    @Test func aBalancedCallNeverHearsAboutItsTalkRatio() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        #expect(run(&loop, Self.turns(rep: 3, customer: 2, minutes: 8)).hints.isEmpty)
    }

    @Test func talkRatioWaitsForEnoughTalkInTheWindow() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        // Three minutes of near silence with a few words from the rep: 100% of very little talk.
        let events = run(&loop, Array(repeating: [(1.0, rep), (8.0, nobody)], count: 20).flatMap { $0 })
        #expect(events.hints(.talkRatioHigh).isEmpty)
    }

    @Test func overlapFiresOnceAfterOneAndAHalfSecondsOfBothTalking() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        let events = run(&loop, [(2, rep), (4, both), (2, rep)])
        let hints = events.hints(.overlap)
        #expect(hints.map(\.audioTimeMs) == [3_500])
        // An overlap is both sides'; the customer started talking while the rep was, so the customer broke in.
        #expect(hints.first?.speaker == .unknown)
        #expect(hints.first?.trigger == "both speaking for 1.5 s: the customer talked over the rep")
        #expect(hints.first?.body == "Pause and let the customer speak")
        #expect(events.hints.count == 1)
    }

    @Test func anOverlapShorterThanOneAndAHalfSecondsIsNoHint() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        #expect(run(&loop, [(2, customer), (1.48, both), (2, customer)]).hints.isEmpty)
    }

    @Test func overlapEpisodesWithinTheCooldownShareOneHint() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        let events = run(&loop, [(2, customer), (2, both), (10, customer), (2, both), (30, customer), (2, both), (1, rep)])
        let hints = events.hints(.overlap)
        #expect(hints.map(\.audioTimeMs) == [3_500, 47_500])
        #expect(hints.allSatisfy { $0.speaker == .unknown && $0.body == "Let the customer finish, then respond" })
    }

    @Test func longSilenceFiresOncePerSilence() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        let events = run(&loop, [(2, rep), (25, nobody), (3, customer), (12, nobody), (1, rep), (9.9, nobody)])
        let hints = events.hints(.longSilence)
        #expect(hints.map(\.audioTimeMs) == [12_000, 40_000])
        #expect(hints.map(\.speaker) == [.unknown, .unknown])
        #expect(hints.map(\.trigger) == ["no speech for 10.0 s since the rep spoke", "no speech for 10.0 s since the customer spoke"])
        #expect(hints.map(\.title) == ["10 s of silence", "10 s of silence"])
        #expect(hints.last?.body.contains("customer spoke last") == true)
        #expect(events.hints.count == 2)
    }

    @Test func silenceBeforeAnyoneSpeaksIsACallConnectingNotAHint() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        #expect(run(&loop, [(20, nobody), (1, rep)]).hints.isEmpty)
    }

    @Test func aRepMonologueIsHintedOnceAtSixtySecondsDespiteShortPauses() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        let speech = Array(repeating: [(9.6, rep), (1.4, nobody)], count: 8).flatMap { $0 }
        let events = run(&loop, [(1, customer), (1, nobody)] + speech)
        let hints = events.hints(.repMonologue)
        #expect(hints.map(\.audioTimeMs) == [62_000])
        #expect(hints.first?.speaker == .rep)
        #expect(hints.first?.trigger == "rep speaking for 60.0 s with no pause over 1.5 s")
        #expect(events.hints.count == 1)
    }

    @Test func aPauseOverOneAndAHalfSecondsStartsANewMonologue() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        #expect(run(&loop, [(50, rep), (1.52, nobody), (50, rep)]).hints.isEmpty)
    }

    @Test func aBackchannelKeepsTheMonologueButRealCustomerTalkEndsIt() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        let kept = run(&loop, [(40, rep), (0.5, customer), (21, rep)])
        #expect(kept.hints(.repMonologue).map(\.audioTimeMs) == [60_000])

        var other = try GuidanceLoop(channelCount: 2)
        #expect(run(&other, [(40, rep), (1.2, customer), (40, rep)]).hints.isEmpty)
    }

    @Test func aCustomerMonologueIsNoHint() throws {
        var loop = try GuidanceLoop(channelCount: 2)
        #expect(run(&loop, [(1, rep), (90, customer)]).hints.isEmpty)
    }

    @Test func aMonoCallHintsOnlySilenceAndMonologueAboutAnUnknownSpeaker() throws {
        var loop = try GuidanceLoop(channelCount: 1)
        let events = run(&loop, [(61, voice), (11, nobody), (200, voice)])
        #expect(events.hints.map(\.kind) == [.repMonologue, .longSilence, .repMonologue])
        #expect(events.hints.allSatisfy { $0.speaker == .unknown })
        #expect(events.hints.map(\.audioTimeMs) == [60_000, 71_000, 132_000])
        #expect(events.hints.first?.confidence == 0.5)
    }
}
