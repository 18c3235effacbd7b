import EarpieceAuth
import Foundation
import Testing

/// The tiers seen from a client: what `ready` says, and who gets the transcript.
@Suite("Guidance tiers on the stream", .serialized)
struct GuidanceTierStreamTests {
    private func withDecoders(transcript: Int, keyphrase: Int, _ body: @Sendable (RunningGateway) async throws -> Void) async throws {
        try await Harness.withGateway(configure: {
            $0.transcriptDecoders = transcript
            $0.keyphraseDecoders = keyphrase
        }, body)
    }

    @Test func onlyATokenWithTranscriptReadReceivesTheTranscript() async throws {
        try await withDecoders(transcript: 2, keyphrase: 0) { gateway in
            let frames = try StreamClient.messages(for: try StreamClient.fixture("mono-call.opus"), sending: .rawFrames)
            let reader = try await gateway.token(user: "u-reader", scopes: [.transcriptRead])
            let plain = try await gateway.token(user: "u-plain")
            let withScope = try await StreamClient.stream(gateway, token: reader, query: "channels=1&container=raw", messages: frames)
            let without = try await StreamClient.stream(gateway, token: plain, query: "channels=1&container=raw", messages: frames)

            #expect(withScope.of("ready").first?.tier == "transcript")
            #expect(without.of("ready").first?.tier == "transcript")
            let finals = withScope.of("transcript").filter { $0.is_final == true }
            #expect(finals.count >= 5)
            #expect(finals.allSatisfy { $0.speaker == "unknown" && ($0.start_ms ?? -1) < ($0.end_ms ?? -1) })
            #expect(zip(finals, finals.dropFirst()).allSatisfy { ($0.start_ms ?? 0) <= ($1.start_ms ?? 0) })
            // The last line of the call ("… talk to you on tuesday") is heard, and placed where it was said.
            let tuesday = try #require(finals.last { $0.text?.contains("tuesday") == true })
            #expect((33_000...38_500).contains(tuesday.end_ms ?? 0))
            #expect(without.of("transcript").isEmpty)
            // The scope changes what is sent, never what is found.
            #expect(without.hints.map(\.kind) == withScope.hints.map(\.kind))
            #expect(without.hints.map(\.audio_time_ms) == withScope.hints.map(\.audio_time_ms))
        }
    }

    @Test func aGatewayWithoutTranscriptDecodersAdmitsTheKeyphraseTier() async throws {
        try await withDecoders(transcript: 0, keyphrase: 2) { gateway in
            let frames = try StreamClient.messages(for: try StreamClient.fixture("mono-call.opus"), sending: .rawFrames)
            let token = try await gateway.token(scopes: [.transcriptRead])
            let seen = try await StreamClient.stream(gateway, token: token, query: "channels=1&container=raw", messages: frames)
            #expect(seen.of("ready").first?.tier == "keyphrase")
            #expect(seen.of("transcript").isEmpty)
            #expect(seen.closeCode == 1000)
        }
    }
}
