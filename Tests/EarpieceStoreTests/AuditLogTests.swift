import Foundation
import Testing

@testable import EarpieceStore

@Suite("The audit log")
struct AuditLogTests {
    private func event(_ scope: TenantScope, at occurredAt: Date, target: String) -> AuditEvent {
        AuditEvent(
            scope: scope, userID: "admin-1", method: "PUT", route: "/v1/retention", status: 200,
            occurredAt: occurredAt, durationMs: 1, target: target, before: #"{"audio_days":30}"#,
            after: #"{"audio_days":7}"#)
    }

    /// Appends events whose times are not in insertion order, as requests that finish out of order write them.
    private func storeWithShuffledEvents() async throws -> (TemporaryStore, expectedOrder: [String]) {
        let temporary = try TemporaryStore()
        let minutes: [(Double, String)] = [(3, "e1"), (1, "e2"), (2, "e3"), (1, "e4"), (5, "e5"), (2, "e6"), (0, "e7")]
        for (minute, target) in minutes {
            let time = startOfYear.adding(minutes: minute)
            try await temporary.store.appendAudit(event(Tenant.orgAProd, at: time, target: target))
            try await temporary.store.appendAudit(event(Tenant.orgBProd, at: time, target: "b-\(target)"))
        }
        // By time, then by id (insertion order) among equal times.
        return (temporary, ["e7", "e2", "e4", "e3", "e6", "e1", "e5"])
    }

    @Test func eventsComeInTimeOrderThenIDOrder() async throws {
        let (temporary, expected) = try await storeWithShuffledEvents()
        let events = try await temporary.store.auditEvents(Tenant.orgAProd, from: nil, to: nil, after: nil, limit: 100)
        #expect(events.map(\.target) == expected)
        #expect(events.allSatisfy { $0.id != nil && $0.org == "org_a" })
    }

    @Test(arguments: [1, 2, 3])
    func pagingWithTheLastIDSeenVisitsEveryEventOnceInOrder(pageSize: Int) async throws {
        let (temporary, expected) = try await storeWithShuffledEvents()
        var seen: [String?] = []
        var cursor: Int64?
        for _ in 0..<expected.count + 1 {
            let page = try await temporary.store.auditEvents(
                Tenant.orgAProd, from: nil, to: nil, after: cursor, limit: pageSize)
            if page.isEmpty { break }
            #expect(page.count <= pageSize)
            seen += page.map(\.target)
            cursor = page.last?.id
        }
        #expect(seen == expected)
    }

    @Test func fromIsInclusiveAndToIsExclusive() async throws {
        let (temporary, _) = try await storeWithShuffledEvents()
        let events = try await temporary.store.auditEvents(
            Tenant.orgAProd, from: startOfYear.adding(minutes: 1), to: startOfYear.adding(minutes: 3), after: nil,
            limit: 100)
        #expect(events.map(\.target) == ["e2", "e4", "e3", "e6"])
    }

    @Test func pagingWithinATimeRangeStaysInTheRange() async throws {
        let (temporary, _) = try await storeWithShuffledEvents()
        let from = startOfYear.adding(minutes: 1), to = startOfYear.adding(minutes: 3)
        let first = try await temporary.store.auditEvents(Tenant.orgAProd, from: from, to: to, after: nil, limit: 3)
        let second = try await temporary.store.auditEvents(
            Tenant.orgAProd, from: from, to: to, after: first.last?.id, limit: 3)
        #expect(first.map(\.target) == ["e2", "e4", "e3"])
        #expect(second.map(\.target) == ["e6"])
    }

    @Test func anEventKeepsEveryFieldItWasWrittenWith() async throws {
        let temporary = try TemporaryStore()
        let written = event(Tenant.orgADev, at: startOfYear, target: "call-1")
        try await temporary.store.appendAudit(written)
        let read = try #require(
            try await temporary.store.auditEvents(Tenant.orgADev, from: nil, to: nil, after: nil, limit: 1).first)
        var expected = written
        expected.id = read.id
        #expect(read == expected)
        #expect(read.id != nil)
    }
}
