import Foundation
import GRDB

/// Hints shown on calls and the calls' summaries over SQLite.
extension SQLiteMetadataStore {
    public func saveHints(_ scope: TenantScope, callID: String, _ hints: [CallHintRecord]) async throws {
        guard !hints.isEmpty else { return }
        for hint in hints where hint.org != scope.org || hint.env != scope.env.rawValue || hint.callID != callID {
            throw StoreError.invalidValue("hint \(hint.hintID) belongs to another call or tenant")
        }
        try await write { db in
            for hint in hints {
                try hint.upsert(db)
            }
        }
    }

    public func hints(_ scope: TenantScope, callID: String) async throws -> [CallHintRecord] {
        try await read { db in
            try CallHintRecord.filter(Self.tenant(scope)).filter(Column("call_id") == callID)
                .order(Column("audio_time_ms"), Column("session_id"), Column("hint_id")).fetchAll(db)
        }
    }

    public func saveSummary(_ summary: SummaryRecord) async throws -> SummaryRecord {
        let scope = try Self.scope(summary.org, summary.env)
        return try await write { db in
            if let existing = try SummaryRecord.filter(Self.tenant(scope)).filter(Column("call_id") == summary.callID)
                .fetchOne(db)
            {
                return existing
            }
            try summary.insert(db)
            return summary
        }
    }

    public func summary(_ scope: TenantScope, callID: String) async throws -> SummaryRecord? {
        try await read { db in
            try SummaryRecord.filter(Self.tenant(scope)).filter(Column("call_id") == callID).fetchOne(db)
        }
    }

    public func dueSummaries(now: Date, limit: Int) async throws -> [(TenantScope, SummaryRecord)] {
        try await read { db in
            let rows = try SummaryRecord.fetchAll(
                db,
                sql: """
                    SELECT s.* FROM summaries s
                    JOIN calls c ON c.org = s.org AND c.env = s.env AND c.id = s.call_id
                    WHERE s.delete_after <= ? AND c.legal_hold = 0
                    ORDER BY s.delete_after LIMIT ?
                    """,
                arguments: [now, limit])
            return try rows.map { (try Self.scope($0.org, $0.env), $0) }
        }
    }

    public func deleteSummary(_ scope: TenantScope, callID: String) async throws {
        try await write { db in
            _ = try SummaryRecord.filter(Self.tenant(scope)).filter(Column("call_id") == callID).deleteAll(db)
        }
    }
}
