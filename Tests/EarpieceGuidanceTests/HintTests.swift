import Foundation
import Testing

@testable import EarpieceGuidance

func encoded<T: Encodable>(_ value: T, snakeCase: Bool = false) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
    return try encoder.encode(value)
}

func decoded<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try JSONDecoder().decode(type, from: Data(json.utf8))
}

/// A hint as the client sees it.
@Suite("Hints on the wire")
struct HintTests {
    @Test func aHintEncodesWithTheProtocolsKeysAndKinds() throws {
        let hint = Hint(id: "h-3", kind: .longSilence, speaker: .rep, audioTimeMs: 15_360, title: "10 s of silence",
                        body: "Ask an open question to re-engage", trigger: "no speech for 10.0 s", confidence: 0.9)
        let json = try String(decoding: encoded(hint), as: UTF8.self)
        #expect(json == """
            {"audio_time_ms":15360,"body":"Ask an open question to re-engage","confidence":0.9,"id":"h-3",\
            "kind":"long_silence","speaker":"rep","title":"10 s of silence","trigger":"no speech for 10.0 s"}
            """)
        #expect(try decoded(Hint.self, json) == hint)
    }

    @Test func anEncoderThatConvertsToSnakeCaseWritesTheSameKeys() throws {
        let hint = Hint(id: "h-1", kind: .overlap, speaker: .unknown, audioTimeMs: 3_500, title: "t", body: "b",
                        trigger: "both speaking for 1.5 s", confidence: 0.7)
        #expect(try encoded(hint, snakeCase: true) == encoded(hint))
        var dynamics = ConversationDynamics(channelCount: 2)
        for _ in 0..<120 { dynamics.advance(rep) }
        #expect(try encoded(dynamics.snapshot(), snakeCase: true) == encoded(dynamics.snapshot()))
    }

    @Test func everyKindHasItsWireName() {
        #expect(HintKind.allCases.map(\.rawValue) == [
            "long_silence", "rep_monologue", "talk_ratio_high", "overlap", "pricing_objection", "competitor_mention",
            "timing_objection", "authority_objection", "next_step", "buying_signal", "churn_risk", "security_concern",
        ])
        // Every intent has its content kind, named alike.
        #expect(Intent.allCases.allSatisfy { HintKind($0).rawValue == $0.rawValue && HintKind($0).intent == $0 })
        #expect(Speaker.allCases.map(\.rawValue) == ["rep", "customer", "unknown"])
    }

    @Test func hintIDsAreNumberedInOrderWithinACall() {
        var numbering = HintNumbering()
        #expect([numbering.take(), numbering.take(), numbering.take()] == ["h-1", "h-2", "h-3"])
    }
}
