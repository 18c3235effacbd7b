import EarpieceAuth
import Foundation
import Testing

@testable import EarpieceStore

@Suite("Tenant scoping")
struct TenantScopingTests {
    /// Org A's prod tenant with one ended call, its recording and an audit event.
    private func storeWithOrgAProdCall() async throws -> TemporaryStore {
        let temporary = try TemporaryStore()
        try await temporary.store.endedCall(Tenant.orgAProd, id: "call-a", endedAt: startOfYear)
        try await temporary.store.appendAudit(
            AuditEvent(
                scope: Tenant.orgAProd, userID: "admin-1", method: "GET", route: "/v1/calls/{id}/recording",
                status: 200, occurredAt: startOfYear, durationMs: 3, target: "call-a"))
        return temporary
    }

    @Test(arguments: [Tenant.orgBProd, Tenant.orgADev])
    func anotherTenantSeesNoneOfTheCallsRecordingsOrAudit(outsider: TenantScope) async throws {
        let temporary = try await storeWithOrgAProdCall()
        let store = temporary.store
        // The owner sees everything, so an empty answer below is the scope at work, not an empty database.
        #expect(try await store.call(Tenant.orgAProd, id: "call-a") != nil)
        #expect(try await store.calls(Tenant.orgAProd, startedBefore: nil, limit: 10).count == 1)
        #expect(try await store.recordings(Tenant.orgAProd, callID: "call-a").count == 1)
        #expect(try await store.auditEvents(Tenant.orgAProd, from: nil, to: nil, after: nil, limit: 10).count == 1)

        #expect(try await store.call(outsider, id: "call-a") == nil)
        #expect(try await store.calls(outsider, startedBefore: nil, limit: 10).isEmpty)
        #expect(try await store.recordings(outsider, callID: "call-a").isEmpty)
        #expect(try await store.auditEvents(outsider, from: nil, to: nil, after: nil, limit: 10).isEmpty)
    }

    @Test(arguments: [Tenant.orgBProd, Tenant.orgADev])
    func anotherTenantCannotPutTheCallOnHold(outsider: TenantScope) async throws {
        let temporary = try await storeWithOrgAProdCall()
        await #expect(throws: StoreError.callNotFound("call-a")) {
            try await temporary.store.setLegalHold(outsider, callID: "call-a", true)
        }
        #expect(try await temporary.store.call(Tenant.orgAProd, id: "call-a")?.legalHold == false)
    }

    @Test(arguments: [Tenant.orgBProd, Tenant.orgADev])
    func anotherTenantCannotFinishOrShredTheRecording(outsider: TenantScope) async throws {
        let temporary = try await storeWithOrgAProdCall()
        let part = try #require(try await temporary.store.onlyPart(Tenant.orgAProd, callID: "call-a"))
        await #expect(throws: StoreError.recordingNotFound(part.id)) {
            try await temporary.store.shredRecordingKey(outsider, recordingID: part.id, now: startOfYear)
        }
        let moved = try await temporary.store.replaceWrappedKey(
            outsider, recordingID: part.id, fromVersion: part.kekVersion, wrappedKey: Data(repeating: 9, count: 65),
            kekVersion: 2)
        #expect(!moved)
        #expect(try await temporary.store.onlyPart(Tenant.orgAProd, callID: "call-a") == part)
    }

    @Test(arguments: [Tenant.orgBProd, Tenant.orgADev])
    func aTenantsRetentionPolicyIsItsOwn(outsider: TenantScope) async throws {
        let temporary = try TemporaryStore()
        let shorter = try RetentionPolicy(audioDays: 7, derivedDays: 90)
        let previous = try await temporary.store.setRetentionPolicy(Tenant.orgAProd, shorter, now: startOfYear)
        #expect(previous == .standard)
        #expect(try await temporary.store.retentionPolicy(Tenant.orgAProd) == shorter)
        #expect(try await temporary.store.retentionPolicy(outsider) == .standard)
    }

    @Test func theSameCallIDInTwoTenantsIsTwoCalls() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try await store.openCall(Tenant.orgAProd, id: "call-1")
        try await store.openCall(Tenant.orgBProd, id: "call-1")
        await #expect(throws: StoreError.callExists("call-1")) {
            try await store.openCall(Tenant.orgAProd, id: "call-1")
        }

        let previous = try await store.setLegalHold(Tenant.orgBProd, callID: "call-1", true)
        #expect(previous == false)
        #expect(try await store.call(Tenant.orgBProd, id: "call-1")?.legalHold == true)
        #expect(try await store.call(Tenant.orgAProd, id: "call-1")?.legalHold == false)

        try await store.openPart(Tenant.orgBProd, callID: "call-1")
        #expect(try await store.recordings(Tenant.orgAProd, callID: "call-1").isEmpty)
        #expect(try await store.recordings(Tenant.orgBProd, callID: "call-1").map(\.org) == ["org_b"])
    }

    @Test func operationsSpanningTenantsReturnEachRowWithItsOwnScope() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        for scope in [Tenant.orgAProd, Tenant.orgBProd, Tenant.orgADev] {
            try await store.endedCall(scope, id: "call-\(scope.org)-\(scope.env.rawValue)", endedAt: startOfYear)
        }
        let due = try await store.dueRecordings(now: startOfYear.adding(days: 31), limit: 10)
        #expect(Set(due.map { "\($0.0)" }) == ["org_a/prod", "org_b/prod", "org_a/dev"])
        for (scope, recording) in due {
            #expect(recording.org == scope.org)
            #expect(recording.env == scope.env.rawValue)
        }
    }
}
