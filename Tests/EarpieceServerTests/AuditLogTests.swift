import Foundation
import HTTPTypes
import Testing

/// What the audit log holds for each request, and what it never holds.
@Suite("The audit log", .serialized)
struct AuditLogTests {
    @Test func eventsNameRouteTemplatesAndTargetsButNeverRawPathsOrAddresses() async throws {
        try await Harness.withGateway { gateway in
            let rep = try await gateway.token(roles: ["rep"], user: "rep-1")
            let call = try await gateway.streamCall(token: rep, packets: 20)
            _ = try await REST.get(gateway, "/v1/calls?limit=5", token: rep)
            _ = try await REST.get(gateway, "/v1/calls/\(call.id)", token: rep)
            _ = try await REST.get(gateway, "/v1/calls/\(call.id)/recording", token: rep)

            let auditor = try await gateway.token(roles: ["auditor"], user: "auditor-1")
            let page = try await REST.get(gateway, "/v1/admin/audit", token: auditor)
            let events = try page.json(AuditPageJSON.self).events.filter { $0.user_id == "rep-1" && $0.method == "GET" }
            #expect(events.map(\.route) == ["/v1/calls", "/v1/calls/{id}", "/v1/calls/{id}/recording"])
            #expect(events.map(\.target) == [nil, call.id, call.id])
            #expect(events.allSatisfy { $0.status == 200 && $0.duration_ms >= 0 })
            #expect(events.allSatisfy { $0.occurred_at.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil })
            // Nothing of the request beyond its template: no ids in routes, no query, no address.
            #expect(!page.text.contains("127.0.0.1"))
            #expect(!page.text.contains("limit=5"))
            let raw = try JSONSerialization.jsonObject(with: Data(page.body)) as? [String: Any]
            let first = try #require((raw?["events"] as? [[String: Any]])?.first)
            #expect(Set(first.keys) == ["id", "user_id", "method", "route", "status", "occurred_at", "duration_ms", "target", "before", "after"])
            let log = try await gateway.auditLog()
            #expect(log.allSatisfy { !$0.route.contains(call.id) })
        }
    }

    @Test func anAcceptedStreamIsLeftToTheStreamRouteWhileARefusedOneIsAudited() async throws {
        try await Harness.withGateway { gateway in
            let rep = try await gateway.token(roles: ["rep"], user: "rep-1")
            _ = try await gateway.streamCall(token: rep, packets: 10)
            let auditor = try await gateway.token(roles: ["auditor"], user: "auditor-9")
            let refused = try await RawHTTP.get(port: gateway.port, path: "/v1/stream", headers: [("Authorization", "Bearer \(auditor)")])
            #expect(refused.status == 403)
            let badQuery = try await RawHTTP.get(port: gateway.port, path: "/v1/stream?channels=3", headers: [("Authorization", "Bearer \(rep)")])
            #expect(badQuery.status == 400)
            let plain = try await REST.get(gateway, "/v1/stream", token: rep)
            #expect(plain.status == 426)
            let resume = try await RawHTTP.get(
                port: gateway.port, path: "/v1/stream?call_id=call_gone&resume_token=rt_0", headers: [("Authorization", "Bearer \(rep)")])
            #expect(resume.status == 404)

            let streams = try await gateway.auditLog().filter { $0.route == "/v1/stream" && $0.method == "GET" }
            #expect(streams.map(\.status) == [403, 400, 426, 404])
            #expect(streams.map(\.user_id) == ["auditor-9", "rep-1", "rep-1", "rep-1"])
            #expect(streams.map(\.target) == [nil, nil, nil, "call_gone"])
            #expect(!streams.contains { $0.status == 200 || $0.status == 101 })
        }
    }

    @Test func aRequestWithoutAValidTokenIsRefusedBeforeTheLogAndLeavesNoEvent() async throws {
        try await Harness.withGateway { gateway in
            let reply = try await REST.get(gateway, "/v1/admin/retention", token: "not-a-token")
            #expect(reply.status == 401)
            #expect(try await gateway.auditLog().isEmpty)
        }
    }
}
