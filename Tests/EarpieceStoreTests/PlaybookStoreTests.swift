import Foundation
import GRDB
import Testing

@testable import EarpieceStore

/// Each tenant's playbook setting: stored as given, revised one step at a time, and seen by no other tenant.
@Suite("Playbook store")
struct PlaybookStoreTests {
    @Test func aTenantThatNeverSetAPlaybookHasNone() async throws {
        let temporary = try TemporaryStore()
        #expect(try await temporary.store.playbook(Tenant.orgAProd) == nil)
    }

    @Test func eachChangeIsTheNextRevisionAndReturnsTheSettingItReplaced() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        defer { withExtendedLifetime(temporary) {} }
        let first = try await store.setPlaybook(Tenant.orgAProd, json: #"{"v":1}"#, updatedBy: "admin-1", at: startOfYear)
        #expect(first.previous == nil)
        #expect(first.current == PlaybookRecord(
            scope: Tenant.orgAProd, json: #"{"v":1}"#, revision: 1, updatedAt: startOfYear, updatedBy: "admin-1"))

        let later = startOfYear.adding(minutes: 5)
        let second = try await store.setPlaybook(Tenant.orgAProd, json: #"{"v":2}"#, updatedBy: "admin-2", at: later)
        #expect(second.previous == first.current)
        #expect(second.current.revision == 2)
        #expect(try await store.playbook(Tenant.orgAProd) == second.current)
    }

    @Test func goingBackToTheDefaultKeepsCountingRevisions() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        defer { withExtendedLifetime(temporary) {} }
        _ = try await store.setPlaybook(Tenant.orgAProd, json: #"{"v":1}"#, updatedBy: "admin-1", at: startOfYear)
        let reset = try await store.setPlaybook(Tenant.orgAProd, json: nil, updatedBy: "admin-1", at: startOfYear)
        #expect(reset.previous?.json == #"{"v":1}"#)
        #expect(reset.current.json == nil)
        #expect(reset.current.revision == 2)
        // A revision number is never reused, so it can tell two playbooks apart.
        let again = try await store.setPlaybook(Tenant.orgAProd, json: #"{"v":3}"#, updatedBy: "admin-1", at: startOfYear)
        #expect(again.current.revision == 3)
    }

    @Test func anotherTenantNeverSeesOrChangesTheSetting() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        defer { withExtendedLifetime(temporary) {} }
        _ = try await store.setPlaybook(Tenant.orgAProd, json: #"{"tenant":"a"}"#, updatedBy: "admin-a", at: startOfYear)
        #expect(try await store.playbook(Tenant.orgBProd) == nil)
        #expect(try await store.playbook(Tenant.orgADev) == nil)

        let other = try await store.setPlaybook(Tenant.orgBProd, json: #"{"tenant":"b"}"#, updatedBy: "admin-b", at: startOfYear)
        #expect(other.previous == nil)
        #expect(other.current.revision == 1)
        #expect(try await store.playbook(Tenant.orgAProd)?.json == #"{"tenant":"a"}"#)
        #expect(try await store.playbook(Tenant.orgAProd)?.revision == 1)
    }

    @Test func concurrentChangesEachGetTheirOwnRevision() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        defer { withExtendedLifetime(temporary) {} }
        let revisions = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<10 {
                group.addTask {
                    try await store.setPlaybook(Tenant.orgAProd, json: "{\"n\":\(index)}", updatedBy: "admin", at: startOfYear)
                        .current.revision
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(revisions.sorted() == Array(1...10))
    }

    @Test func aDatabaseFromBeforePlaybooksKeepsItsRowsAndGainsThem() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-v1-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(SQLiteMetadataStore.relativePath).path
        let v1 = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(v1, upTo: "v1 tenants, calls, recordings, audit log")
        try await v1.write { db in
            try db.execute(sql: "INSERT INTO tenants VALUES ('org_a', 'prod', 7, 90, '2026-01-01 00:00:00.000')")
        }
        try v1.close()

        let store = try SQLiteMetadataStore(path: path)
        #expect(try await store.retentionPolicy(Tenant.orgAProd) == (try RetentionPolicy(audioDays: 7, derivedDays: 90)))
        #expect(try await store.playbook(Tenant.orgAProd) == nil)
        let set = try await store.setPlaybook(Tenant.orgAProd, json: "{}", updatedBy: "admin", at: startOfYear)
        #expect(set.current.revision == 1)
    }
}
