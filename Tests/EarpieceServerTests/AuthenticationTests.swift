import EarpieceAuth
import Foundation
import Testing

/// Every way a token can be wrong is refused before the upgrade, with 401 and a JSON reason.
@Suite("Authentication at the stream endpoint", .serialized)
struct AuthenticationTests {
    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Tokens that must be refused, each made against the running gateway.
    static func badTokens(_ gateway: RunningGateway) async throws -> [(String, String)] {
        let good = try await gateway.token()
        let parts = good.split(separator: ".").map(String.init)
        let now = Int(Date().timeIntervalSince1970)
        let payload = #"{"sub":"u-1","org":"acme-corp","env":"dev","roles":["rep"],"iss":"earpiece","aud":["earpiece-gateway"],"exp":\#(now + 600)}"#
        var tampered = parts
        tampered[1] = base64URL(payload.replacingOccurrences(of: "u-1", with: "u-2"))
        let otherKeyDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("earpiece-other-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: otherKeyDirectory) }
        let foreign = try await TokenMinter(key: DevSigningKey.loadOrCreate(dataDirectory: otherKeyDirectory)).mint(
            userID: "u-1", org: "acme-corp", env: .dev, roles: [.rep])
        return [
            ("malformed", "not-a-jwt"),
            ("two segments", parts[0] + "." + parts[1]),
            ("alg none", base64URL(#"{"alg":"none","typ":"JWT"}"#) + "." + base64URL(payload) + "."),
            ("tampered payload", tampered.joined(separator: ".")),
            ("unknown kid", foreign),
            ("expired", try await expired(gateway)),
            ("wrong audience", try await TokenMinter(key: DevSigningKey.loadOrCreate(dataDirectory: gateway.dataDirectory), issuer: "earpiece", audience: "someone-else")
                .mint(userID: "u-1", org: "acme-corp", env: .dev, roles: [.rep])),
            ("wrong issuer", try await TokenMinter(key: DevSigningKey.loadOrCreate(dataDirectory: gateway.dataDirectory), issuer: "mallory", audience: "earpiece-gateway")
                .mint(userID: "u-1", org: "acme-corp", env: .dev, roles: [.rep])),
        ]
    }

    static func expired(_ gateway: RunningGateway) async throws -> String {
        try await TokenMinter(key: DevSigningKey.loadOrCreate(dataDirectory: gateway.dataDirectory))
            .mint(userID: "u-1", org: "acme-corp", env: .dev, roles: [.rep], ttl: .seconds(60), now: Date().addingTimeInterval(-3_600))
    }

    @Test func everyBadTokenIsRefusedWith401AndNoUpgrade() async throws {
        try await Harness.withGateway { gateway in
            for (name, token) in try await Self.badTokens(gateway) {
                for headers in [[("Authorization", "Bearer \(token)")], [("Sec-WebSocket-Protocol", "earpiece.v1, bearer.\(token)")]] {
                    let response = try await RawHTTP.get(port: gateway.port, path: "/v1/stream", headers: headers)
                    #expect(response.status == 401, "\(name) via \(headers[0].0): \(response.status) \(response.body)")
                    #expect(response.body.contains(#""error":"unauthorized""#), "\(name): \(response.body)")
                    #expect(!response.head.lowercased().contains("sec-websocket-accept"))
                }
            }
        }
    }

    @Test func aMissingTokenIsRefusedWith401() async throws {
        try await Harness.withGateway { gateway in
            let response = try await RawHTTP.get(port: gateway.port, path: "/v1/stream", headers: [])
            #expect(response.status == 401)
            #expect(response.body.contains("bearer token is required"))
        }
    }

    @Test func aTokenWithoutTheRepRoleIsForbidden() async throws {
        try await Harness.withGateway { gateway in
            for roles in [["admin"], ["auditor"], ["admin", "auditor"]] {
                let token = try await gateway.token(roles: roles)
                let response = try await RawHTTP.get(port: gateway.port, path: "/v1/stream", headers: [("Authorization", "Bearer \(token)")])
                #expect(response.status == 403, "\(roles)")
                #expect(response.body.contains("rep role"))
            }
        }
    }

    @Test func aRepTokenIsEnoughToUpgrade() async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token(roles: ["rep"])
            let response = try await RawHTTP.get(port: gateway.port, path: "/v1/stream", headers: [("Authorization", "Bearer \(token)")])
            #expect(response.status == 101)
            let echoed = try await RawHTTP.get(port: gateway.port, path: "/v1/stream", headers: [("Sec-WebSocket-Protocol", "earpiece.v1, bearer.\(token)")])
            #expect(echoed.status == 101)
            #expect(echoed.head.lowercased().contains("sec-websocket-protocol: earpiece.v1"))
        }
    }

    @Test func badQueryParametersAreRefusedWith400() async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token()
            for query in ["channels=3", "container=mp3", "call_id=has%20space"] {
                let response = try await RawHTTP.get(port: gateway.port, path: "/v1/stream?\(query)", headers: [("Authorization", "Bearer \(token)")])
                #expect(response.status == 400, "\(query)")
                #expect(response.body.contains(#""error":"bad_request""#))
            }
        }
    }

    @Test func healthAndMetricsAnswerWithoutAToken() async throws {
        try await Harness.withGateway { gateway in
            #expect(try await RawHTTP.get(port: gateway.port, path: "/healthz", headers: [], upgrade: false).status == 200)
            #expect(try await RawHTTP.get(port: gateway.port, path: "/readyz", headers: [], upgrade: false).status == 200)
            let token = try await gateway.token()
            let frames = try StreamClient.messages(for: try StreamClient.fixture("monologue-call.opus"), sending: .rawFrames)
            // Two frames lost on the way, one sent twice.
            var messages = frames
            messages.remove(at: 11)
            messages.remove(at: 10)
            messages.insert(frames[100], at: 101)
            _ = try await StreamClient.stream(gateway, token: token, query: "container=raw", messages: messages)
            let metrics = try await RawHTTP.get(port: gateway.port, path: "/metrics", headers: [], upgrade: false)
            #expect(metrics.status == 200)
            #expect(metrics.body.contains(#"earpiece_hints_total{kind="long_silence"} 1"#))
            #expect(metrics.body.contains("earpiece_audio_frames_received_total \(frames.count - 2)"))
            #expect(metrics.body.contains("earpiece_audio_frames_lost_total 2"))
            #expect(metrics.body.contains("earpiece_audio_frames_duplicate_total 1"))
            #expect(metrics.body.contains("earpiece_hint_latency_seconds_bucket"))
            #expect(metrics.body.contains("earpiece_active_streams 0"))
        }
    }
}
