import EarpieceGuidance
import Foundation
import Testing

/// Admission: each call gets the richest tier with a decoder free for every speaker, and gives it back.
@Suite("Speech admission", .serialized)
struct SpeechAdmissionTests {
    static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Models")

    private func resources(transcript: Int, keyphrase: Int) throws -> (SpeechResources, Playbook) {
        let loaded = GuidanceModels.load(directory: Self.models, transcriptDecoders: transcript, keyphraseDecoders: keyphrase)
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return (loaded.resources, try #require(loaded.defaultPlaybook))
    }

    @Test func callsGetTheRichestTierWithRoomAndItsDecodersComeBackWhenTheyEnd() throws {
        let (speech, playbook) = try resources(transcript: 2, keyphrase: 2)
        let pool = try #require(speech.pool)
        var problems: [RecognizerError] = []
        do {
            let first = speech.lease(channelCount: 2, playbook: playbook, problems: &problems)
            let second = speech.lease(channelCount: 2, playbook: playbook, problems: &problems)
            let third = speech.lease(channelCount: 1, playbook: playbook, problems: &problems)
            #expect([first.tier, second.tier, third.tier] == [.transcript, .keyphrase, .dynamics])
            #expect(pool.counts.inUse(.transcript) == 2 && pool.counts.inUse(.keyphrase) == 2)
        }
        // All three ended: their decoders are idle, and the next call gets the transcript tier on them.
        #expect(pool.counts.inUse(.transcript) == 0 && pool.counts.idle(.transcript) == 2)
        let again = speech.lease(channelCount: 2, playbook: playbook, problems: &problems)
        #expect(again.tier == .transcript)
        #expect(pool.counts.loaded(.transcript) == 2)
        #expect(problems.isEmpty)
    }

    @Test func aStereoCallNeverGetsATierForOnlyOneOfItsSpeakers() throws {
        let (speech, playbook) = try resources(transcript: 3, keyphrase: 0)
        var problems: [RecognizerError] = []
        let first = speech.lease(channelCount: 2, playbook: playbook, problems: &problems)
        let second = speech.lease(channelCount: 2, playbook: playbook, problems: &problems)
        #expect(first.tier == .transcript)
        // One decoder is left: not enough for two speakers, and it stays free for a mono call.
        #expect(second.tier == .dynamics)
        let pool = try #require(speech.pool)
        #expect(pool.counts.inUse(.transcript) == 2)
        let mono = speech.lease(channelCount: 1, playbook: playbook, problems: &problems)
        #expect(mono.tier == .transcript)
    }

    @Test func aCallThatFallsBehindMovesDownATierAndFreesItsTranscriptDecoders() throws {
        let (speech, playbook) = try resources(transcript: 2, keyphrase: 2)
        let pool = try #require(speech.pool)
        var problems: [RecognizerError] = []
        var loop = try GuidanceLoop(
            channelCount: 2, speech: speech.lease(channelCount: 2, playbook: playbook, problems: &problems))
        #expect(loop.tier == .transcript)
        var events: [GuidanceEvent] = []
        loop.lowerTier(into: &events)
        #expect(loop.tier == .keyphrase)
        #expect(events.last == .tierChanged(.keyphrase, audioTimeMs: 0))
        #expect(pool.counts.inUse(.transcript) == 0 && pool.counts.inUse(.keyphrase) == 2)
        loop.lowerTier(into: &events)
        #expect(loop.tier == .dynamics)
        #expect(pool.counts.inUse(.keyphrase) == 0)
        // Dynamics is the floor.
        loop.lowerTier(into: &events)
        #expect(events.count == 2)
    }
}
