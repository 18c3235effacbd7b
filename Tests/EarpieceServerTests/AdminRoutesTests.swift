import Foundation
import Testing

/// `/v1/admin/…`: retention, legal holds and the audit log, and who may touch them.
@Suite("Admin routes", .serialized)
struct AdminRoutesTests {
    @Test func aRepIsRefusedEveryAdminRouteAndEachRefusalIsAudited() async throws {
        try await Harness.withGateway { gateway in
            let rep = try await gateway.token(roles: ["rep"], user: "rep-7")
            let call = try await gateway.streamCall(token: rep, packets: 10)
            let attempts: [(method: String, path: String, route: String, body: String?)] = [
                ("GET", "/v1/admin/retention", "/v1/admin/retention", nil),
                ("PUT", "/v1/admin/retention", "/v1/admin/retention", #"{"audio_days":1,"derived_days":1}"#),
                ("PUT", "/v1/admin/calls/\(call.id)/legal-hold", "/v1/admin/calls/{id}/legal-hold", #"{"hold":true}"#),
                ("GET", "/v1/admin/audit", "/v1/admin/audit", nil),
            ]
            for attempt in attempts {
                let reply = try await REST.send(gateway, attempt.method, attempt.path, token: rep, body: attempt.body.map { Array($0.utf8) })
                #expect(reply.status == 403, "\(attempt.method) \(attempt.path)")
                #expect(reply.refusal?.error == "forbidden")
            }

            let log = try await gateway.auditLog()
            let refusals = log.filter { $0.user_id == "rep-7" && $0.status == 403 }
            #expect(refusals.map(\.route) == attempts.map(\.route))
            #expect(refusals.map(\.method) == attempts.map(\.method))
            #expect(refusals.map(\.target) == [nil, nil, call.id, nil])
            #expect(refusals.allSatisfy { $0.before == nil && $0.after == nil })
            // The refused changes changed nothing.
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            #expect(try await REST.get(gateway, "/v1/admin/retention", token: admin).text == #"{"audio_days":30,"derived_days":365}"#)
            #expect(try await REST.get(gateway, "/v1/calls/\(call.id)", token: admin).json(CallJSON.self).legal_hold == false)
        }
    }

    @Test func anAdminChangesRetentionAndTheAuditLogHasTheValuesBeforeAndAfter() async throws {
        try await Harness.withGateway { gateway in
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            let initial = try await REST.get(gateway, "/v1/admin/retention", token: admin)
            #expect(initial.status == 200)
            #expect(initial.text == #"{"audio_days":30,"derived_days":365}"#)

            let set = try await REST.put(gateway, "/v1/admin/retention", token: admin, json: #"{"audio_days":7,"derived_days":90}"#)
            #expect(set.status == 200)
            #expect(set.text == #"{"audio_days":7,"derived_days":90}"#)
            #expect(try await REST.get(gateway, "/v1/admin/retention", token: admin).text == set.text)

            let change = try #require(try await gateway.auditLog().first { $0.method == "PUT" })
            #expect(change.route == "/v1/admin/retention")
            #expect(change.user_id == "admin-1")
            #expect(change.status == 200)
            #expect(change.before == ["audio_days": .int(30), "derived_days": .int(365)])
            #expect(change.after == ["audio_days": .int(7), "derived_days": .int(90)])
            #expect(change.target == nil)
        }
    }

    @Test("a retention policy out of range, incomplete or not JSON is refused with a reason", arguments: [
        (#"{"audio_days":0,"derived_days":365}"#, "audio_days must be 1…3650, not 0"),
        (#"{"audio_days":30,"derived_days":3651}"#, "derived_days must be 1…3650, not 3651"),
        (#"{"audio_days":30}"#, "derived_days is required"),
        (#"{"audio_days":"30","derived_days":365}"#, "audio_days must be a number"),
        (#"{"audio_days":30.5,"derived_days":365}"#, "audio_days must be a whole number of days"),
        (#"{"audio_days":30,"derived_days":1e300}"#, "derived_days must be 1…3650"),
        (#"[30,365]"#, "the body must be a JSON object"),
        ("", "the body must be a JSON object"),
        ("audio_days=30&derived_days=365", "the body is not valid JSON"),
        (#"{"audio_days":30,"derived_days":365,"pad":""# + String(repeating: "x", count: 70_000) + #""}"#,
         "the body must be at most 64 KiB of JSON"),
    ])
    func anInvalidRetentionPolicyIsRefused(body: String, reason: String) async throws {
        try await Harness.withGateway { gateway in
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            let reply = try await REST.put(gateway, "/v1/admin/retention", token: admin, json: body)
            #expect(reply.status == 400)
            #expect(reply.refusal?.error == "bad_request")
            #expect(reply.refusal?.reason == reason)
            #expect(try await REST.get(gateway, "/v1/admin/retention", token: admin).text == #"{"audio_days":30,"derived_days":365}"#)
        }
    }

    @Test func anAdminHoldsAndReleasesACallAndAnUnknownCallIsNotFound() async throws {
        try await Harness.withGateway { gateway in
            let rep = try await gateway.token(roles: ["rep"], user: "rep-1")
            let call = try await gateway.streamCall(token: rep, packets: 10)
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            let path = "/v1/admin/calls/\(call.id)/legal-hold"

            let held = try await REST.put(gateway, path, token: admin, json: #"{"hold":true}"#)
            #expect(held.status == 200)
            #expect(held.text == #"{"call_id":"\#(call.id)","legal_hold":true}"#)
            #expect(try await REST.get(gateway, "/v1/calls/\(call.id)", token: rep).json(CallJSON.self).legal_hold)
            let released = try await REST.put(gateway, path, token: admin, json: #"{"hold":false}"#)
            #expect(released.text == #"{"call_id":"\#(call.id)","legal_hold":false}"#)

            let unknown = try await REST.put(gateway, "/v1/admin/calls/call_nope/legal-hold", token: admin, json: #"{"hold":true}"#)
            #expect(unknown.status == 404)
            #expect(unknown.refusal?.error == "not_found")
            let malformed = try await REST.put(gateway, path, token: admin, json: #"{"hold":"yes"}"#)
            #expect(malformed.status == 400)
            #expect(malformed.refusal?.reason == "hold must be true or false")

            let holds = try await gateway.auditLog().filter { $0.route == "/v1/admin/calls/{id}/legal-hold" }
            #expect(holds.map(\.status) == [200, 200, 404, 400])
            #expect(holds.map(\.target) == [call.id, call.id, "call_nope", call.id])
            #expect(holds[0].before == ["legal_hold": .bool(false)])
            #expect(holds[0].after == ["legal_hold": .bool(true)])
            #expect(holds[1].before == ["legal_hold": .bool(true)])
            #expect(holds[1].after == ["legal_hold": .bool(false)])
            #expect(holds[2].before == nil && holds[2].after == nil)
        }
    }

    @Test func theAuditLogPagesInOrderAndFiltersByTime() async throws {
        try await Harness.withGateway { gateway in
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            for _ in 0..<5 { _ = try await REST.get(gateway, "/v1/admin/retention", token: admin) }
            let auditor = try await gateway.token(roles: ["auditor"], user: "auditor-1")
            let whole = try await REST.get(gateway, "/v1/admin/audit", token: auditor).json(AuditPageJSON.self)
            #expect(whole.events.count == 5)
            #expect(whole.next_after == nil)

            var paged: [AuditEventJSON] = []
            var after: Int64?
            repeat {
                let query = "limit=2" + (after.map { "&after=\($0)" } ?? "")
                let page = try await REST.get(gateway, "/v1/admin/audit?\(query)", token: auditor).json(AuditPageJSON.self)
                #expect(page.events.count <= 2)
                paged += page.events
                after = page.next_after
            } while after != nil
            // The pages saw what the first read saw, then the first read itself and the pages before each.
            #expect(Array(paged.prefix(5)).map(\.id) == whole.events.map(\.id))
            #expect(paged.map(\.id) == paged.map(\.id).sorted())

            let first = try #require(whole.events.first), last = try #require(whole.events.last)
            let window = try await REST.get(
                gateway, "/v1/admin/audit?from=\(first.occurred_at)&to=\(last.occurred_at)", token: auditor
            ).json(AuditPageJSON.self)
            #expect(window.events.first?.id == first.id)
            #expect(!window.events.contains { $0.id == last.id })
            #expect(window.events.allSatisfy { $0.occurred_at >= first.occurred_at && $0.occurred_at < last.occurred_at })
            let before = try await REST.get(gateway, "/v1/admin/audit?to=2000-01-01T00:00:00Z", token: auditor)
            #expect(try before.json(AuditPageJSON.self).events.isEmpty)
        }
    }

    @Test("bad audit queries are refused with a reason", arguments: [
        ("limit=0", "limit must be 1 to 500"), ("limit=501", "limit must be 1 to 500"),
        ("after=x", "after must be an event id"), ("after=999999", "no audit event 999999 to page on from"), ("from=monday", "from must be an RFC 3339 time, like 2025-03-01T09:30:00Z"),
        ("from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z", "to must not be before from"),
    ])
    func badAuditQueriesAreRefused(query: String, reason: String) async throws {
        try await Harness.withGateway { gateway in
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            let reply = try await REST.get(gateway, "/v1/admin/audit?\(query)", token: admin)
            #expect(reply.status == 400)
            #expect(reply.refusal?.reason == reason)
        }
    }
}
