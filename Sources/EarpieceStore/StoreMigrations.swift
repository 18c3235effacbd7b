import GRDB

/// The schema, as named steps. A step that has shipped is never edited: a change is a new step.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 tenants, calls, recordings, audit log") { db in
            try db.create(table: "tenants") { table in
                table.column("org", .text).notNull()
                table.column("env", .text).notNull()
                table.column("audio_days", .integer).notNull()
                table.column("derived_days", .integer).notNull()
                table.column("updated_at", .datetime).notNull()
                table.primaryKey(["org", "env"])
            }
            try db.create(table: "calls") { table in
                table.column("org", .text).notNull()
                table.column("env", .text).notNull()
                table.column("id", .text).notNull()
                table.column("rep_user_id", .text).notNull()
                table.column("status", .text).notNull()
                table.column("started_at", .datetime).notNull()
                table.column("ended_at", .datetime)
                table.column("resume_token_hash", .blob).notNull()
                table.column("legal_hold", .boolean).notNull().defaults(to: false)
                table.column("derived_delete_after", .datetime)
                table.primaryKey(["org", "env", "id"])
            }
            try db.create(index: "calls_by_start", on: "calls", columns: ["org", "env", "started_at"])
            try db.create(table: "recordings") { table in
                table.column("id", .text).notNull().primaryKey()
                table.column("org", .text).notNull()
                table.column("env", .text).notNull()
                table.column("call_id", .text).notNull()
                table.column("part", .integer).notNull()
                table.column("path", .text).notNull()
                table.column("wrapped_key", .blob)
                table.column("kek_version", .integer).notNull()
                table.column("status", .text).notNull()
                table.column("bytes", .integer).notNull()
                table.column("packets", .integer).notNull()
                table.column("duration_ms", .integer).notNull()
                table.column("acked_seq", .integer)
                table.column("created_at", .datetime).notNull()
                table.column("ended_at", .datetime)
                table.column("delete_after", .datetime)
                table.uniqueKey(["org", "env", "call_id", "part"])
                table.foreignKey(["org", "env", "call_id"], references: "calls", columns: ["org", "env", "id"])
            }
            try db.create(index: "recordings_due", on: "recordings", columns: ["status", "delete_after"])
            try db.create(index: "recordings_by_kek", on: "recordings", columns: ["kek_version"])
            try db.create(table: "audit_events") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("org", .text).notNull()
                table.column("env", .text).notNull()
                table.column("user_id", .text).notNull()
                table.column("method", .text).notNull()
                table.column("route", .text).notNull()
                table.column("status", .integer).notNull()
                table.column("occurred_at", .datetime).notNull()
                table.column("duration_ms", .integer).notNull()
                table.column("target", .text)
                table.column("before", .text)
                table.column("after", .text)
            }
            try db.create(index: "audit_by_time", on: "audit_events", columns: ["org", "env", "occurred_at", "id"])
        }
        migrator.registerMigration("v2 playbooks") { db in
            try db.create(table: "playbooks") { table in
                table.column("org", .text).notNull()
                table.column("env", .text).notNull()
                // NULL after a reset to the default; the row stays so that revisions are never reused.
                table.column("json", .text)
                table.column("revision", .integer).notNull()
                table.column("updated_at", .datetime).notNull()
                table.column("updated_by", .text).notNull()
                table.primaryKey(["org", "env"])
            }
        }
        migrator.registerMigration("v3 jobs") { db in
            // docs/jobs.md. Ids only: nothing in a job row is transcript text or personal data.
            try db.create(table: "jobs") { table in
                table.column("id", .text).notNull().primaryKey()
                table.column("org", .text).notNull()
                table.column("env", .text).notNull()
                table.column("call_id", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("state", .text).notNull()
                table.column("attempts", .integer).notNull()
                table.column("run_after", .datetime).notNull()
                table.column("lease_token", .text)
                table.column("lease_expires_at", .datetime)
                table.column("last_error", .text)
                table.column("created_at", .datetime).notNull()
                table.column("updated_at", .datetime).notNull()
                table.column("finished_at", .datetime)
                table.uniqueKey(["org", "env", "call_id", "kind"])
                table.foreignKey(["org", "env", "call_id"], references: "calls", columns: ["org", "env", "id"])
            }
            try db.create(index: "jobs_due", on: "jobs", columns: ["state", "run_after"])
            try db.create(index: "jobs_by_lease_deadline", on: "jobs", columns: ["state", "lease_expires_at"])
        }
        migrator.registerMigration("v4 call hints and summaries") { db in
            // The hints a call showed and the rep's feedback on them: kinds, times and ids, never the words that
            // triggered them (those are in the sealed summary only).
            try db.create(table: "call_hints") { table in
                table.column("org", .text).notNull()
                table.column("env", .text).notNull()
                table.column("call_id", .text).notNull()
                table.column("hint_id", .text).notNull()
                table.column("session_id", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("speaker", .text).notNull()
                table.column("audio_time_ms", .integer).notNull()
                table.column("confidence", .double).notNull()
                table.column("feedback", .text)
                table.primaryKey(["org", "env", "call_id", "session_id", "hint_id"])
                table.foreignKey(["org", "env", "call_id"], references: "calls", columns: ["org", "env", "id"])
            }
            // A call's summary: a sealed blob, like a recording, and its wrapped data key. One per call.
            try db.create(table: "summaries") { table in
                table.column("org", .text).notNull()
                table.column("env", .text).notNull()
                table.column("call_id", .text).notNull()
                table.column("job_id", .text).notNull()
                table.column("path", .text).notNull()
                table.column("bytes", .integer).notNull()
                table.column("wrapped_key", .blob).notNull()
                table.column("kek_version", .integer).notNull()
                table.column("created_at", .datetime).notNull()
                table.column("delete_after", .datetime).notNull()
                table.primaryKey(["org", "env", "call_id"])
                table.foreignKey(["org", "env", "call_id"], references: "calls", columns: ["org", "env", "id"])
            }
            try db.create(index: "summaries_by_deadline", on: "summaries", columns: ["delete_after"])
        }
        return migrator
    }
}
