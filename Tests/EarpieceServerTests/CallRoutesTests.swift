import EarpieceAudio
@testable import EarpieceServer
import EarpieceStore
import Foundation
import Testing

/// `/v1/calls`: who sees which call, and the recording exported from what was really streamed.
@Suite("Calls over REST", .serialized)
struct CallRoutesTests {
    @Test func theRepAndAnAdminExportTheStreamedRecordingAsOggOpusAndAnotherRepCannot() async throws {
        try await Harness.withGateway { gateway in
            let rep = try await gateway.token(roles: ["rep"], user: "rep-1")
            let call = try await gateway.streamCall(token: rep)
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            let otherRep = try await gateway.token(roles: ["rep"], user: "rep-2")

            var exports: [[UInt8]] = []
            for token in [rep, admin] {
                let reply = try await REST.get(gateway, "/v1/calls/\(call.id)/recording", token: token)
                #expect(reply.status == 200)
                #expect(reply.isComplete)
                #expect(reply.headers["content-type"] == "audio/ogg")
                #expect(reply.headers["transfer-encoding"] == "chunked", "sent as it is decrypted")
                #expect(reply.body.starts(with: Array("OggS".utf8)))
                var reader = OggOpusReader()
                let packets = try reader.push(reply.body)
                try reader.finish()
                #expect(packets.count == call.packetsSent)
                #expect(reader.head?.channelCount == 1)
                exports.append(reply.body)
            }
            #expect(exports[0] == exports[1], "the same recording exports the same bytes")

            let refused = try await REST.get(gateway, "/v1/calls/\(call.id)/recording", token: otherRep)
            #expect(refused.status == 404)
            #expect(refused.refusal?.error == "not_found")
        }
    }

    @Test func anotherTenantCanNeitherListNorReadNorExportNorHoldACall() async throws {
        try await Harness.withGateway { gateway in
            let rep = try await gateway.token(roles: ["rep"], org: "org-a", user: "u-1")
            let call = try await gateway.streamCall(token: rep)
            // Org B's people, one of them with the very same user id as org A's rep.
            let rivals = [
                try await gateway.token(roles: ["rep"], org: "org-b", user: "u-1"),
                try await gateway.token(roles: ["admin"], org: "org-b", user: "b-admin"),
                try await gateway.token(roles: ["rep", "admin", "auditor"], org: "org-b", user: "b-all"),
                try await gateway.token(roles: ["admin"], org: "org-a", env: "prod", user: "a-prod-admin"),
            ]
            for token in rivals {
                let list = try await REST.get(gateway, "/v1/calls", token: token)
                #expect(list.status == 200)
                #expect(try list.json(CallListJSON.self).calls.isEmpty)
                #expect(!list.text.contains(call.id))
                for path in ["/v1/calls/\(call.id)", "/v1/calls/\(call.id)/recording"] {
                    let reply = try await REST.get(gateway, path, token: token)
                    #expect(reply.status == 404, "\(path): \(reply.status)")
                    #expect(reply.refusal?.reason == "no call \(call.id)")
                }
            }
            let holdByRival = try await REST.put(
                gateway, "/v1/admin/calls/\(call.id)/legal-hold", token: rivals[1], json: #"{"hold":true}"#)
            #expect(holdByRival.status == 404)
            let auditorB = try await gateway.token(roles: ["auditor"], org: "org-b", user: "b-auditor")
            let listByAuditor = try await REST.get(gateway, "/v1/calls", token: auditorB)
            #expect(listByAuditor.status == 403)

            // Nothing of org A in org B's log, nothing of org B in org A's, and the hold never happened.
            let logB = try await gateway.auditLog(org: "org-b")
            #expect(!logB.isEmpty)
            #expect(logB.allSatisfy { ["u-1", "b-admin", "b-all", "b-auditor", "auditor-1"].contains($0.user_id) })
            #expect(logB.allSatisfy { $0.before == nil && $0.after == nil })
            // Org A's own log holds its auditor's reads and, at most, its rep's stream.
            let logA = try await gateway.auditLog(org: "org-a")
            #expect(logA.allSatisfy { $0.user_id == "auditor-1" || ($0.user_id == "u-1" && $0.method == "STREAM") })
            let admin = try await gateway.token(roles: ["admin"], org: "org-a", user: "a-admin")
            let seen = try await REST.get(gateway, "/v1/calls/\(call.id)", token: admin).json(CallJSON.self)
            #expect(seen.legal_hold == false)
        }
    }

    @Test func aRepListsTheirOwnCallsAndAnAdminListsAllOfTheTenants() async throws {
        try await Harness.withGateway { gateway in
            let first = try await gateway.token(roles: ["rep"], user: "rep-1")
            let second = try await gateway.token(roles: ["rep"], user: "rep-2")
            let a = try await gateway.streamCall(token: first, packets: 50)
            let b = try await gateway.streamCall(token: second, packets: 50)
            let c = try await gateway.streamCall(token: first, packets: 50)
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")

            let mine = try await REST.get(gateway, "/v1/calls", token: first).json(CallListJSON.self)
            #expect(mine.calls.map(\.call_id) == [c.id, a.id])
            #expect(mine.next_before == nil)
            let all = try await REST.get(gateway, "/v1/calls", token: admin).json(CallListJSON.self)
            #expect(all.calls.map(\.call_id) == [c.id, b.id, a.id])

            let one = try await REST.get(gateway, "/v1/calls/\(b.id)", token: second).json(CallJSON.self)
            #expect(one.call_id == b.id)
            #expect(one.status == "ended")
            #expect(one.ended_at != nil)
            #expect(one.legal_hold == false)
            #expect(one.recording?.parts == 1)
            #expect(one.recording?.status == "complete")
            #expect(one.recording?.duration_ms == 1_000)
            #expect(one.recording?.packets == 50)
            #expect((one.recording?.bytes ?? 0) > 0)
            #expect(try await REST.get(gateway, "/v1/calls/\(b.id)", token: first).status == 404)

            // Pages: newest first, each page's cursor is the next page's `before`.
            let page1 = try await REST.get(gateway, "/v1/calls?limit=2", token: admin).json(CallListJSON.self)
            #expect(page1.calls.map(\.call_id) == [c.id, b.id])
            let cursor = try #require(page1.next_before)
            let page2 = try await REST.get(gateway, "/v1/calls?limit=2&before=\(cursor)", token: admin).json(CallListJSON.self)
            #expect(page2.calls.map(\.call_id) == [a.id])
            #expect(page2.next_before == nil)
        }
    }

    @Test("bad list queries are refused with a reason", arguments: [
        ("limit=0", "limit"), ("limit=201", "limit"), ("limit=ten", "limit"), ("before=yesterday", "before"),
    ])
    func badListQueriesAreRefused(query: String, naming field: String) async throws {
        try await Harness.withGateway { gateway in
            let reply = try await REST.get(gateway, "/v1/calls?\(query)", token: try await gateway.token())
            #expect(reply.status == 400)
            #expect(reply.refusal?.error == "bad_request")
            #expect(reply.refusal?.reason.hasPrefix(field) == true)
        }
    }

    @Test func aShreddedRecordingIsGoneAndACallWithoutAudioHasNone() async throws {
        try await Harness.withGateway { gateway in
            let rep = try await gateway.token(roles: ["rep"], user: "rep-1")
            let shredded = try await gateway.streamCall(token: rep, packets: 20)
            let silent = try await gateway.streamCall(token: rep, packets: 0)
            // What the retention sweeper does to a due recording, done now.
            let store = try SQLiteMetadataStore(dataDirectory: URL(fileURLWithPath: gateway.dataDirectory))
            let scope = TenantScope.operatorScope(org: "acme-corp", env: .dev)
            for part in try await store.recordings(scope, callID: shredded.id) {
                try await store.shredRecordingKey(scope, recordingID: part.id, now: Date())
            }

            let gone = try await REST.get(gateway, "/v1/calls/\(shredded.id)/recording", token: rep)
            #expect(gone.status == 410)
            #expect(gone.refusal?.error == "gone")
            let listed = try await REST.get(gateway, "/v1/calls/\(shredded.id)", token: rep).json(CallJSON.self)
            #expect(listed.recording?.status == "deleted")

            let none = try await REST.get(gateway, "/v1/calls/\(silent.id)/recording", token: rep)
            #expect(none.status == 404)
            #expect(none.refusal?.reason == "call \(silent.id) has no recorded audio")
            let silentCall = try await REST.get(gateway, "/v1/calls/\(silent.id)", token: rep)
            #expect(silentCall.status == 200)
            #expect(silentCall.text.contains(#""recording":null"#))
        }
    }

    @Test func aRecordingDamagedOnDiskIsCutShortNeverSentAsIfWhole() async throws {
        try await Harness.withGateway { gateway in
            let rep = try await gateway.token(roles: ["rep"], user: "rep-1")
            let call = try await gateway.streamCall(token: rep, packets: 100)
            let folder = URL(fileURLWithPath: gateway.dataDirectory)
                .appendingPathComponent("blobs/acme-corp/dev").appendingPathComponent(call.id)
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
            let path = folder.appendingPathComponent(file).path
            var sealed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            sealed[sealed.count - 20] ^= 0x01
            try Data(sealed).write(to: URL(fileURLWithPath: path))

            let reply = try await REST.get(gateway, "/v1/calls/\(call.id)/recording", token: rep)
            #expect(reply.status == 200)
            #expect(!reply.isComplete)
        }
    }

    @Test func anExportRunsNoMoreThanOneChunkAheadOfItsReaderAndStopsWhenTheReaderLeaves() async throws {
        let relay = ChunkRelay()
        let produced = Counter()
        let producer = Task {
            do {
                for chunk in 0..<100 {
                    try await relay.send([UInt8(chunk)])
                    await produced.add()
                }
                await relay.finish(.success(()))
                return false
            } catch {
                return error is CancellationError
            }
        }
        for expected in 0..<3 {
            try await Task.sleep(for: .milliseconds(20))
            #expect(await produced.value <= expected)
            #expect(try await relay.receive() == [UInt8(expected)])
        }
        await relay.abandon()
        #expect(await producer.value, "the producer learns its reader has gone")
        #expect(await produced.value <= 4)
    }

    @Test func anAuditorOnlyTokenCannotReadCalls() async throws {
        try await Harness.withGateway { gateway in
            let auditor = try await gateway.token(roles: ["auditor"], user: "aud-1")
            for path in ["/v1/calls", "/v1/calls/call_x", "/v1/calls/call_x/recording"] {
                let reply = try await REST.get(gateway, path, token: auditor)
                #expect(reply.status == 403, "\(path)")
                #expect(reply.refusal?.error == "forbidden")
            }
        }
    }
}

private actor Counter {
    private(set) var value = 0
    func add() { value += 1 }
}
