import Foundation
import HTTPTypes
import Testing

/// The gateway end to end: a real server on 127.0.0.1, real WebSocket clients, the fixture calls.
@Suite("Streaming a call", .serialized)
struct StreamingTests {
    /// monologue-call: the rep talks from 11.478 s to 85.023 s, then 13 s of silence (see its timeline).
    static let monologueStart = 11_478, silenceStart = 85_023

    @Test("a stereo call yields ready, dynamics and the hints its timeline predicts", arguments: [
        ("monologue-call.opus", Sending.rawFrames, "channels=2&container=raw"),
        ("monologue-call.opus", Sending.bytes(chunk: 4096), "channels=2&container=ogg"),
        ("monologue-call.webm", Sending.bytes(chunk: 3000), "channels=2"),
    ])
    func aStereoCallYieldsItsPredictedHints(file: String, sending: Sending, query: String) async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token()
            let messages = try StreamClient.messages(for: try StreamClient.fixture(file), sending: sending)
            let transcript = try await StreamClient.stream(gateway, token: token, query: query, messages: messages)

            #expect(transcript.closeCode == 1000, "closed with \(String(describing: transcript.closeCode)): \(transcript.closeReason ?? "")")
            let ready = try #require(transcript.messages.first)
            #expect(ready.type == "ready")
            #expect(ready.tier == "dynamics")
            #expect(ready.call_id?.hasPrefix("call_") == true)
            // Once a second of audio: the call lasts 115.8 s.
            #expect((110...117).contains(transcript.of("dynamics").count))

            let monologue = transcript.hints.filter { $0.kind == "rep_monologue" }
            let silence = transcript.hints.filter { $0.kind == "long_silence" }
            #expect(monologue.count == 1)
            #expect(silence.count == 1)
            #expect(monologue.first?.speaker == "rep")
            if let at = monologue.first?.audio_time_ms { #expect(abs(at - (Self.monologueStart + 60_000)) <= 1_500, "monologue hint at \(at) ms") }
            if let at = silence.first?.audio_time_ms { #expect(abs(at - (Self.silenceStart + 10_000)) <= 1_000, "silence hint at \(at) ms") }
            #expect(transcript.hints.allSatisfy { $0.title?.isEmpty == false && $0.trigger?.isEmpty == false })
            #expect(transcript.hints.allSatisfy { ($0.confidence ?? -1) >= 0 && ($0.confidence ?? 2) <= 1 })

            let closed = try #require(transcript.messages.last)
            #expect(closed.type == "closed")
            #expect(abs((closed.audio_time_ms ?? 0) - 115_766) <= 40)
        }
    }

    @Test func theTokenCanRideInTheSubprotocolListAndIsEchoed() async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token()
            let messages = try StreamClient.messages(for: try StreamClient.fixture("mono-call.opus"), sending: .bytes(chunk: 8192))
            let headers: HTTPFields = [.secWebSocketProtocol: "earpiece.v1, bearer.\(token)"]
            let transcript = try await StreamClient.stream(gateway, token: token, query: "channels=1", messages: messages, headers: headers)
            #expect(transcript.closeCode == 1000)
            #expect(transcript.messages.first?.type == "ready")
            #expect(transcript.messages.last?.type == "closed")
        }
    }

    @Test func aMalformedFrameEndsThatStreamWhileAnotherCarriesOn() async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token()
            let good = try StreamClient.messages(for: try StreamClient.fixture("monologue-call.opus"), sending: .rawFrames)
            async let healthy = StreamClient.stream(gateway, token: token, query: "container=raw", messages: good)
            // A raw frame whose flags byte is not zero, after a few good ones.
            var bad = Array(good.prefix(10))
            var broken = good[10]
            broken[3] = 0x80
            bad.append(broken)
            let refused = try await StreamClient.stream(gateway, token: token, query: "container=raw", messages: bad, sendClose: false)
            #expect(refused.closeCode == 4400)
            let error = try #require(refused.of("error").first)
            #expect(error.code == "bad_audio")
            #expect(error.message?.contains("flags") == true)

            let other = try await healthy
            #expect(other.closeCode == 1000)
            #expect(other.hints.contains { $0.kind == "long_silence" })
        }
    }

    @Test func garbageInsteadOfAudioIsRefusedWithItsReason() async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token()
            let transcript = try await StreamClient.stream(gateway, token: token, messages: [Array("RIFF....WAVEfmt ".utf8)], sendClose: false)
            #expect(transcript.closeCode == 4400)
            #expect(transcript.of("error").first?.message?.contains("unrecognized audio format") == true)
        }
    }

    @Test func textThatIsNotAJSONMessageEndsTheStream() async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token()
            let transcript = try await StreamClient.stream(gateway, token: token, messages: [], texts: ["hello"], sendClose: false)
            #expect(transcript.closeCode == 4402)
            #expect(transcript.of("error").first?.code == "bad_message")
        }
    }

    @Test func unknownMessageTypesGetAWarningAndTheStreamGoesOn() async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token()
            let transcript = try await StreamClient.stream(
                gateway, token: token, messages: [],
                texts: [#"{"type":"dance"}"#, #"{"type":"keepalive"}"#, #"{"type":"hint_feedback","hint_id":"h-1","action":"used"}"#])
            // Feedback on a hint this session never showed is ignored, and the client is told so.
            #expect(transcript.of("warning").map(\.code) == ["unknown_message", "unknown_hint"])
            #expect(transcript.closeCode == 1000)
            #expect(transcript.messages.last?.type == "closed")
        }
    }

    @Test func finalizeAnswersWithTheAudioTimeAnalysedSoFar() async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token()
            let frames = try StreamClient.messages(for: try StreamClient.fixture("mono-call.opus"), sending: .rawFrames)
            let transcript = try await StreamClient.stream(
                gateway, token: token, query: "channels=1&container=raw", messages: Array(frames.prefix(100)), texts: [#"{"type":"finalize"}"#])
            let finalized = try #require(transcript.of("finalized").first)
            // 100 packets of 20 ms.
            #expect(finalized.audio_time_ms == 2_000)
        }
    }

    @Test func aMessageOverTheLimitIsRefusedAsTooLarge() async throws {
        try await Harness.withGateway(configure: { $0.maxMessageBytes = 4096 }) { gateway in
            let token = try await gateway.token()
            let transcript = try await StreamClient.stream(gateway, token: token, messages: [Array(repeating: 0x4F, count: 4097)], sendClose: false)
            #expect(transcript.closeCode == 1009)
        }
    }

    @Test func aSilentClientIsClosedAsIdle() async throws {
        try await Harness.withGateway(configure: { $0.idleTimeoutSeconds = 1 }) { gateway in
            let token = try await gateway.token()
            let transcript = try await StreamClient.stream(gateway, token: token, messages: [], sendClose: false)
            #expect(transcript.closeCode == 4408)
            #expect(transcript.of("error").first?.code == "idle")
        }
    }

    @Test func streamsOverTheOrganisationsLimitAreTurnedAwayWithARetryHint() async throws {
        try await Harness.withGateway(configure: { $0.maxStreamsPerOrg = 1; $0.idleTimeoutSeconds = 3 }) { gateway in
            let token = try await gateway.token()
            // The first stream holds the org's only slot until it goes idle.
            async let holder = StreamClient.stream(gateway, token: token, messages: [], sendClose: false)
            try await Task.sleep(for: .milliseconds(500))
            let refused = try await StreamClient.stream(gateway, token: token, messages: [], sendClose: false)
            #expect(refused.closeCode == 1013)
            #expect(refused.of("error").first?.code == "over_capacity")
            #expect((refused.of("error").first?.retry_after_ms ?? 0) > 0)
            // Another organisation is not affected.
            let otherOrg = try await gateway.token(org: "globex")
            let admitted = try await StreamClient.stream(gateway, token: otherOrg, messages: [])
            #expect(admitted.closeCode == 1000)
            _ = try await holder
        }
    }

    @Test func whenGuidanceFallsBehindItSaysSoAndKeepsTheCallsClock() async throws {
        try await Harness.withGateway(configure: { $0.guidanceQueueMilliseconds = 100 }) { gateway in
            let token = try await gateway.token()
            let frames = try StreamClient.messages(for: try StreamClient.fixture("monologue-call.opus"), sending: .rawFrames)
            let transcript = try await StreamClient.stream(gateway, token: token, query: "container=raw", messages: frames)
            #expect(transcript.closeCode == 1000)
            #expect(transcript.of("warning").contains { $0.code == "guidance_degraded" })
            let closed = try #require(transcript.of("closed").first)
            #expect(abs((closed.audio_time_ms ?? 0) - 115_766) <= 40)
            #expect(closed.packets == frames.count)
        }
    }

    @Test func aClientThatStopsReadingDoesNotStallAnotherStream() async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token()
            let frames = try StreamClient.messages(for: try StreamClient.fixture("monologue-call.opus"), sending: .rawFrames)
            // The stuck client sends a whole call but reads nothing for 20 s.
            async let stuck = StreamClient.stream(gateway, token: token, query: "container=raw", messages: frames, readDelay: .seconds(20))
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            let other = try await StreamClient.stream(gateway, token: token, query: "container=raw", messages: frames)
            #expect(ContinuousClock.now - started < .seconds(15))
            #expect(other.closeCode == 1000)
            #expect(other.hints.contains { $0.kind == "rep_monologue" })
            _ = try await stuck
        }
    }
}

@Suite("Shutting down", .serialized)
struct ShutdownTests {
    @Test func onShutdownOpenStreamsCloseWithGoingAway() async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token()
            async let open = StreamClient.stream(gateway, token: token, messages: [], texts: [#"{"type":"keepalive"}"#], sendClose: false)
            // Shut down once the stream is really open, whatever the machine's load.
            for _ in 0..<200 {
                let ready = try await RawHTTP.get(port: gateway.port, path: "/readyz", headers: [], upgrade: false)
                if ready.body.contains(#""open_streams":1"#) { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            await gateway.shutdown()
            let transcript = try await open
            #expect(transcript.closeCode == 1001)
            #expect(transcript.of("error").first?.code == "going_away")
        }
    }
}
