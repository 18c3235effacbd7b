import Foundation
import GRDB
import Testing

@testable import EarpieceStore

@Suite("Opening the metadata database")
struct StoreMigrationTests {
    @Test func aNewDatabaseIsMigratedWhenItIsOpened() throws {
        let temporary = try TemporaryStore()
        let plain = try DatabaseQueue(path: temporary.path)
        let (tables, applied) = try plain.inDatabase { db in
            (
                try String.fetchAll(
                    db,
                    sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                ),
                try StoreMigrations.migrator.appliedMigrations(db)
            )
        }
        #expect(tables == ["audit_events", "call_hints", "calls", "grdb_migrations", "jobs", "playbooks", "recordings", "summaries", "tenants"])
        #expect(applied == StoreMigrations.migrator.migrations)
        withExtendedLifetime(temporary.store) {}
    }

    @Test func reopeningAMigratedDatabaseKeepsItsRowsAndAppliesNothingTwice() async throws {
        let temporary = try TemporaryStore()
        let policy = try RetentionPolicy(audioDays: 7, derivedDays: 90)
        try await temporary.store.openCall(Tenant.orgAProd, id: "call-1")
        _ = try await temporary.store.setRetentionPolicy(Tenant.orgAProd, policy, now: startOfYear)

        for _ in 0..<2 {
            let reopened = try SQLiteMetadataStore(path: temporary.path)
            #expect(try await reopened.call(Tenant.orgAProd, id: "call-1")?.id == "call-1")
            #expect(try await reopened.retentionPolicy(Tenant.orgAProd) == policy)
        }
        let plain = try DatabaseQueue(path: temporary.path)
        let migrationRows = try plain.inDatabase { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM grdb_migrations") }
        #expect(migrationRows == StoreMigrations.migrator.migrations.count)
    }

    @Test func theDatabaseIsInWriteAheadLogMode() async throws {
        let temporary = try TemporaryStore()
        try await temporary.store.openCall(Tenant.orgAProd, id: "call-1")
        let plain = try DatabaseQueue(path: temporary.path)
        let mode = try plain.inDatabase { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(FileManager.default.fileExists(atPath: temporary.path + "-wal"))
        withExtendedLifetime(temporary.store) {}
    }

    @Test func aPathThatCannotBeADatabaseIsUnavailableAndNamesThePath() throws {
        let temporary = try TemporaryStore()
        // A directory where the database file should be.
        let path = temporary.directory.appendingPathComponent("not-a-file").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let error = try #require(throws: StoreError.self) { try SQLiteMetadataStore(path: path) }
        guard case .unavailable(let reason) = error else {
            Issue.record("expected unavailable, got \(error)")
            return
        }
        #expect(reason.contains(path))
    }
}
