import EarpieceAuth
import Foundation
import GRDB

/// `MetadataStore` over the system SQLite, in WAL mode, migrated on open.
public final class SQLiteMetadataStore: MetadataStore {
    /// The database file's path relative to the data directory.
    public static let relativePath = "earpiece.sqlite"

    private let pool: DatabasePool

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // WAL with NORMAL sync: a commit survives a process crash; only a power cut can lose the last few,
            // and audio durability never rests on this database (the sealed file is fsynced on its own).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(pool)
        } catch {
            throw .unavailable("\(path): \(error)")
        }
    }

    /// The database under `dataDirectory`.
    public convenience init(dataDirectory: URL) throws(StoreError) {
        try self.init(path: dataDirectory.appendingPathComponent(Self.relativePath).path)
    }

    // MARK: Retention

    public func retentionPolicy(_ scope: TenantScope) async throws -> RetentionPolicy {
        try await read { db in try Self.policy(db, scope) }
    }

    public func setRetentionPolicy(_ scope: TenantScope, _ policy: RetentionPolicy, now: Date) async throws
        -> RetentionPolicy
    {
        try await write { db in
            let previous = try Self.policy(db, scope)
            try TenantRecord(
                org: scope.org, env: scope.env.rawValue, audioDays: policy.audioDays,
                derivedDays: policy.derivedDays, updatedAt: now
            ).upsert(db)
            if policy.audioDays < previous.audioDays {
                let days = TimeInterval(policy.audioDays) * 86_400
                for var recording in try RecordingRecord.filter(Self.tenant(scope))
                    .filter(Column("ended_at") != nil && Column("status") != RecordingRecord.Status.shredded.rawValue)
                    .fetchAll(db)
                {
                    guard let endedAt = recording.endedAt else { continue }
                    let shortened = endedAt.addingTimeInterval(days)
                    if let current = recording.deleteAfter, current <= shortened { continue }
                    recording.deleteAfter = shortened
                    try recording.update(db)
                }
            }
            if policy.derivedDays < previous.derivedDays {
                let days = TimeInterval(policy.derivedDays) * 86_400
                for var call in try CallRecord.filter(Self.tenant(scope)).filter(Column("ended_at") != nil)
                    .fetchAll(db)
                {
                    guard let endedAt = call.endedAt else { continue }
                    let shortened = endedAt.addingTimeInterval(days)
                    if let current = call.derivedDeleteAfter, current <= shortened { continue }
                    call.derivedDeleteAfter = shortened
                    try call.update(db)
                }
            }
            return previous
        }
    }

    // MARK: Calls

    public func createCall(_ call: CallRecord) async throws {
        try await write { db in
            if try CallRecord.filter(key: ["org": call.org, "env": call.env, "id": call.id]).fetchCount(db) > 0 {
                throw StoreError.callExists(call.id)
            }
            try call.insert(db)
        }
    }

    public func call(_ scope: TenantScope, id: String) async throws -> CallRecord? {
        try await read { db in try Self.call(db, scope, id) }
    }

    public func calls(_ scope: TenantScope, startedBefore: Date?, limit: Int) async throws -> [CallRecord] {
        try await read { db in
            var request = CallRecord.filter(Self.tenant(scope))
            if let startedBefore { request = request.filter(Column("started_at") < startedBefore) }
            return try request.order(Column("started_at").desc, Column("id").desc).limit(limit).fetchAll(db)
        }
    }

    public func setLegalHold(_ scope: TenantScope, callID: String, _ hold: Bool) async throws -> Bool {
        try await write { db in
            guard var call = try Self.call(db, scope, callID) else { throw StoreError.callNotFound(callID) }
            let previous = call.legalHold
            call.legalHold = hold
            try call.update(db)
            return previous
        }
    }

    public func abandonedCalls(endedBefore before: Date) async throws -> [(TenantScope, CallRecord)] {
        try await read { db in
            let calls = try CallRecord.fetchAll(
                db,
                sql: """
                    SELECT calls.* FROM calls
                    WHERE status = 'open'
                      AND NOT EXISTS (SELECT 1 FROM recordings r WHERE r.org = calls.org AND r.env = calls.env
                                      AND r.call_id = calls.id AND (r.status = 'open' OR r.ended_at >= ?))
                      AND started_at < ?
                    """,
                arguments: [before, before])
            return try calls.map { (try Self.scope($0.org, $0.env), $0) }
        }
    }

    public func endCall(_ scope: TenantScope, callID: String, now: Date) async throws {
        try await write { db in try Self.end(db, scope, callID, now: now) }
    }

    // MARK: Recordings

    public func insertRecording(_ recording: RecordingRecord) async throws {
        try await write { db in
            guard let call = try Self.call(db, try Self.scope(recording.org, recording.env), recording.callID) else {
                throw StoreError.callNotFound(recording.callID)
            }
            guard call.status == .open else { throw StoreError.callEnded(call.id) }
            try recording.insert(db)
        }
    }

    public func recordDurable(
        _ scope: TenantScope, recordingID: String, bytes: Int, packets: Int, durationMs: Int, ackedSeq: Int64?
    ) async throws {
        // Every flush of every live call comes here (twice a second each): one UPDATE, no read of the row.
        try await write { db in
            let changed = try RecordingRecord.filter(Self.tenant(scope)).filter(Column("id") == recordingID).updateAll(db, [
                Column("bytes").set(to: bytes), Column("packets").set(to: packets),
                Column("duration_ms").set(to: durationMs), Column("acked_seq").set(to: ackedSeq),
            ])
            guard changed == 1 else { throw StoreError.recordingNotFound(recordingID) }
        }
    }

    public func finishRecording(
        _ scope: TenantScope, recordingID: String, bytes: Int, packets: Int, durationMs: Int, ackedSeq: Int64?,
        endingCall: Bool, now: Date
    ) async throws {
        try await write { db in
            let recording = try Self.updateProgress(
                db, scope, recordingID, bytes: bytes, packets: packets, durationMs: durationMs, ackedSeq: ackedSeq,
                finishedAt: now)
            if endingCall { try Self.end(db, scope, recording.callID, now: now) }
        }
    }

    /// What a flush or the end of a part records: its counts, and with `finishedAt` that it is complete.
    private static func updateProgress(
        _ db: Database, _ scope: TenantScope, _ recordingID: String, bytes: Int, packets: Int, durationMs: Int,
        ackedSeq: Int64?, finishedAt: Date?
    ) throws -> RecordingRecord {
        guard var recording = try recording(db, scope, recordingID) else {
            throw StoreError.recordingNotFound(recordingID)
        }
        recording.bytes = bytes
        recording.packets = packets
        recording.durationMs = durationMs
        recording.ackedSeq = ackedSeq
        if let finishedAt {
            recording.status = .complete
            recording.endedAt = finishedAt
        }
        try recording.update(db)
        return recording
    }

    public func recordings(_ scope: TenantScope, callID: String) async throws -> [RecordingRecord] {
        try await read { db in
            try RecordingRecord.filter(Self.tenant(scope)).filter(Column("call_id") == callID)
                .order(Column("part")).fetchAll(db)
        }
    }

    public func openRecordings() async throws -> [(TenantScope, RecordingRecord)] {
        try await read { db in
            let rows = try RecordingRecord.filter(Column("status") == RecordingRecord.Status.open.rawValue)
                .order(Column("created_at")).fetchAll(db)
            return try rows.map { (try Self.scope($0.org, $0.env), $0) }
        }
    }

    public func markRecovered(
        _ scope: TenantScope, recordingID: String, path: String, wrappedKey: Data, kekVersion: Int, bytes: Int,
        packets: Int, durationMs: Int, now: Date
    ) async throws {
        try await write { db in
            guard var recording = try Self.recording(db, scope, recordingID) else {
                throw StoreError.recordingNotFound(recordingID)
            }
            recording.path = path
            recording.wrappedKey = wrappedKey
            recording.kekVersion = kekVersion
            recording.bytes = bytes
            recording.packets = packets
            recording.durationMs = durationMs
            recording.status = .recovered
            recording.endedAt = now
            try recording.update(db)
        }
    }

    public func dueRecordings(now: Date, limit: Int) async throws -> [(TenantScope, RecordingRecord)] {
        try await read { db in
            let rows = try RecordingRecord.fetchAll(
                db,
                sql: """
                    SELECT r.* FROM recordings r
                    JOIN calls c ON c.org = r.org AND c.env = r.env AND c.id = r.call_id
                    WHERE r.status IN ('complete', 'recovered') AND r.delete_after IS NOT NULL
                      AND r.delete_after <= ? AND c.legal_hold = 0
                    ORDER BY r.delete_after LIMIT ?
                    """,
                arguments: [now, limit])
            return try rows.map { (try Self.scope($0.org, $0.env), $0) }
        }
    }

    public func shredRecordingKey(_ scope: TenantScope, recordingID: String, now: Date) async throws {
        try await write { db in
            guard var recording = try Self.recording(db, scope, recordingID) else {
                throw StoreError.recordingNotFound(recordingID)
            }
            recording.wrappedKey = nil
            recording.status = .shredded
            try recording.update(db)
        }
    }

    public func recordingsToRewrap(activeVersion: Int, limit: Int) async throws -> [(TenantScope, RecordingRecord)]
    {
        try await read { db in
            let rows = try RecordingRecord.filter(Column("kek_version") != activeVersion)
                .filter(Column("wrapped_key") != nil).order(Column("created_at")).limit(limit).fetchAll(db)
            return try rows.map { (try Self.scope($0.org, $0.env), $0) }
        }
    }

    public func replaceWrappedKey(
        _ scope: TenantScope, recordingID: String, fromVersion: Int, wrappedKey: Data, kekVersion: Int
    ) async throws -> Bool {
        try await write { db in
            // Compare-and-set, so a rewrap racing a shred can never bring a destroyed key back.
            try db.execute(
                sql: """
                    UPDATE recordings SET wrapped_key = ?, kek_version = ?
                    WHERE id = ? AND org = ? AND env = ? AND kek_version = ? AND wrapped_key IS NOT NULL
                    """,
                arguments: [wrappedKey, kekVersion, recordingID, scope.org, scope.env.rawValue, fromVersion])
            return db.changesCount == 1
        }
    }

    // MARK: Playbook

    public func playbook(_ scope: TenantScope) async throws -> PlaybookRecord? {
        try await read { db in try PlaybookRecord.filter(Self.tenant(scope)).fetchOne(db) }
    }

    public func setPlaybook(_ scope: TenantScope, json: String?, updatedBy: String, at: Date) async throws
        -> (previous: PlaybookRecord?, current: PlaybookRecord)
    {
        try await write { db in
            let previous = try PlaybookRecord.filter(Self.tenant(scope)).fetchOne(db)
            let current = PlaybookRecord(
                scope: scope, json: json, revision: (previous?.revision ?? 0) + 1, updatedAt: at, updatedBy: updatedBy)
            try current.upsert(db)
            // Read back, so the answer holds the time as stored (to the millisecond), as every later read will.
            return (previous, try PlaybookRecord.filter(Self.tenant(scope)).fetchOne(db) ?? current)
        }
    }

    // MARK: Audit

    public func appendAudit(_ event: AuditEvent) async throws {
        try await write { db in
            var event = event
            try event.insert(db)
        }
    }

    public func auditEvents(_ scope: TenantScope, from: Date?, to: Date?, after: Int64?, limit: Int) async throws
        -> [AuditEvent]
    {
        try await read { db in
            var request = AuditEvent.filter(Self.tenant(scope))
            if let from { request = request.filter(Column("occurred_at") >= from) }
            if let to { request = request.filter(Column("occurred_at") < to) }
            if let after {
                // Pages are in (occurred_at, id) order, so the cursor is that pair: ids follow insertion, and events
                // are not inserted in time order (a stream is logged when it ends, stamped when it began).
                guard let cursor = try AuditEvent.filter(Self.tenant(scope)).filter(Column("id") == after).fetchOne(db)
                else { throw StoreError.invalidValue("no audit event \(after) to page on from") }
                request = request.filter(
                    Column("occurred_at") > cursor.occurredAt
                        || (Column("occurred_at") == cursor.occurredAt && Column("id") > after))
            }
            return try request.order(Column("occurred_at"), Column("id")).limit(limit).fetchAll(db)
        }
    }

    // MARK: Helpers

    static func tenant(_ scope: TenantScope) -> SQLExpression {
        Column("org") == scope.org && Column("env") == scope.env.rawValue
    }

    static func scope(_ org: String, _ env: String) throws -> TenantScope {
        guard let environment = TenantEnvironment(rawValue: env) else {
            throw StoreError.database("row with unknown env \(env)")
        }
        return .operatorScope(org: org, env: environment)
    }

    private static func policy(_ db: Database, _ scope: TenantScope) throws -> RetentionPolicy {
        guard let row = try TenantRecord.filter(tenant(scope)).fetchOne(db) else { return .standard }
        return try RetentionPolicy(audioDays: row.audioDays, derivedDays: row.derivedDays)
    }

    private static func call(_ db: Database, _ scope: TenantScope, _ id: String) throws -> CallRecord? {
        try CallRecord.filter(tenant(scope)).filter(Column("id") == id).fetchOne(db)
    }

    private static func recording(_ db: Database, _ scope: TenantScope, _ id: String) throws -> RecordingRecord? {
        try RecordingRecord.filter(tenant(scope)).filter(Column("id") == id).fetchOne(db)
    }

    /// Ends the call, starts every clock and queues its summary: one statement set, inside the caller's
    /// transaction, so that a call never ends without its job nor gets a job without ending.
    private static func end(_ db: Database, _ scope: TenantScope, _ callID: String, now: Date) throws {
        guard var call = try call(db, scope, callID) else { throw StoreError.callNotFound(callID) }
        guard call.status == .open else { return }
        let policy = try policy(db, scope)
        call.status = .ended
        call.endedAt = now
        call.derivedDeleteAfter = now.addingTimeInterval(TimeInterval(policy.derivedDays) * 86_400)
        try call.update(db)
        let deleteAfter = now.addingTimeInterval(TimeInterval(policy.audioDays) * 86_400)
        try db.execute(
            sql: """
                UPDATE recordings SET delete_after = ?, ended_at = COALESCE(ended_at, ?)
                WHERE org = ? AND env = ? AND call_id = ? AND status != 'shredded'
                """,
            arguments: [deleteAfter, now, scope.org, scope.env.rawValue, callID])
        _ = try JobRecord.enqueue(db, scope, callID: callID, kind: .summary, now: now)
    }

    func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch let error as StoreError { throw error } catch {
            throw StoreError.database("\(error)")
        }
    }

    func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do { return try await pool.write(body) } catch let error as StoreError { throw error } catch {
            throw StoreError.database("\(error)")
        }
    }
}
